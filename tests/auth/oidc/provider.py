"""A real OpenID Connect provider (oidc-provider-mock, from the test extra) served on
127.0.0.1, and organisation A's settings for it: shared by the sign-in tests and the browser's."""

import os
import threading
from contextlib import contextmanager

from oidc_provider_mock import app as provider_app
from werkzeug.serving import make_server

from app.auth.models import Role
from app.auth.oidc.models import IdentityProvider, IdentityProviderDomain, IdentityProviderGroup
from app.auth.oidc.services import seal_client_secret

DOMAIN = "example.org"


@contextmanager
def serving_provider():
    """The provider's address (its issuer) while it serves, on a free port."""
    # The provider and Authlib's client both refuse plain http unless told this is a test.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    server = make_server("127.0.0.1", 0, provider_app(require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def add_provider(session, organisation, issuer, server_secret) -> IdentityProvider:
    """The organisation's provider: example.org signs in there; two groups mapped."""
    found = IdentityProvider(organisation_id=organisation.id, issuer=issuer, client_id="adref",
                             client_secret=seal_client_secret(server_secret, "s3cret-for-tests"),
                             groups_claim="groups")
    found.domains = [IdentityProviderDomain(domain=DOMAIN)]
    found.groups = [IdentityProviderGroup(group_name="adref-workers", role=Role.WORKER),
                    IdentityProviderGroup(group_name="adref-supervisors", role=Role.SUPERVISOR)]
    session.add(found)
    session.commit()
    return found
