"""Imports every capability's models so that metadata (and migrations) see all tables."""


def import_all_models() -> None:
    from app.admin import models as admin_models  # noqa: F401
    from app.audit import models as audit_models  # noqa: F401
    from app.auth import models as auth_models  # noqa: F401
    from app.auth.oidc import models as oidc_models  # noqa: F401
    from app.auth.second_factor import models as second_factor_models  # noqa: F401
    from app.board import indexes as board_indexes  # noqa: F401
    from app.cases import models as cases_models  # noqa: F401
    from app.codelists import models as codelists_models  # noqa: F401
    from app.core import models as core_models  # noqa: F401
    from app.intelligence import models as intelligence_models  # noqa: F401
    from app.interviews import models as interviews_models  # noqa: F401
    from app.questionnaires import models as questionnaires_models  # noqa: F401
    from app.referrals import models as referrals_models  # noqa: F401
    from app.reports import grants as reports_grants  # noqa: F401
    from app.reports.clients import models as report_clients_models  # noqa: F401
    from app.review import models as review_models  # noqa: F401
    from app.sharing import models as sharing_models  # noqa: F401
    from app.syncing import models as syncing_models  # noqa: F401
    from app.youngperson import models as youngperson_models  # noqa: F401
