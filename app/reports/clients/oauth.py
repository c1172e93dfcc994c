"""The OAuth2 parts, with Authlib: the authorization server's token endpoint (client credentials
only, the secret sent as HTTP Basic or in the form) and the bearer-token check of the API.

The clients and tokens themselves are app.reports.clients.services'; here they are only wrapped
in the shapes Authlib asks for."""

from datetime import timedelta

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from flask import Blueprint, current_app

from app.core.headers import private_page
from app.core.types import utcnow
from app.extensions import db
from app.reports.clients import services
from app.reports.clients.models import ReportClient, ReportToken

# The one thing a token allows: reading the annual figures of the client's areas.
SCOPE = "reports:annual"
AUTH_METHODS = ("client_secret_basic", "client_secret_post")
# The token endpoint, where a client exchanges its credentials for an access token.
ISSUED_AT_PATH = "/oauth/token"


class Client(ClientMixin):
    def __init__(self, record: ReportClient):
        self.record = record

    def get_client_id(self):
        return self.record.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return SCOPE  # whatever was asked (the server refuses any other scope before this)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return services.secret_matches(self.record, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in AUTH_METHODS

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


class Token(TokenMixin):
    def __init__(self, record: ReportToken | None):
        self.record = record

    def __bool__(self):
        return self.record is not None

    def check_client(self, client):
        return client.get_client_id() == self.record.client.client_id

    def get_scope(self):
        return self.record.scope

    def get_expires_in(self):
        return int((self.record.expires_at - self.record.issued_at).total_seconds())

    def is_expired(self):
        return self.record.expires_at <= utcnow()

    def is_revoked(self):
        return self.record.client.revoked_at is not None

    def get_user(self):
        return None

    def get_client(self):
        return Client(self.record.client)


class ClientCredentials(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)


class Validator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return Token(services.token_named(db.session, token_string))


protector = ResourceProtector()
protector.register_token_validator(Validator())


def _query_client(client_id: str):
    record = services.active_client(db.session, client_id)
    return Client(record) if record is not None else None


def _save_token(token: dict, request) -> None:
    services.keep_token(db.session, request.client.record, token["access_token"],
                        token["scope"], utcnow(), _lifetime())
    db.session.commit()


def _lifetime() -> timedelta:
    return timedelta(seconds=current_app.config["REPORT_TOKEN_SECONDS"])


def _expires_in(_client, _grant_type) -> int:
    return int(_lifetime().total_seconds())


def _new_server() -> AuthorizationServer:
    server = AuthorizationServer(query_client=_query_client, save_token=_save_token)
    server.scopes_supported = [SCOPE]
    server.register_grant(ClientCredentials)
    server.register_token_generator("default", BearerTokenGenerator(
        lambda **_ignored: services.new_access_token(), None, _expires_in))
    return server


def oauth_blueprint() -> Blueprint:
    """POST /oauth/token. A new server and blueprint for each app, as the API's are.

    Answers are OAuth2's own (RFC 6749 section 5: `{"error": "invalid_client"}` and so on), which
    every OAuth2 client library reads; nothing here needs a person signed in or a CSRF token,
    the client's credentials being the whole of its authentication."""
    blueprint = Blueprint("oauth", __name__)
    blueprint.after_request(private_page)
    server = _new_server()

    @blueprint.post(ISSUED_AT_PATH)
    def token():
        try:
            return server.create_token_response()
        except BaseException:
            db.session.rollback()
            raise

    return blueprint
