"""Imports every model module so the metadata is complete (Alembic, tests)."""

from czrm.audit import models as audit_models
from czrm.auth import models as auth_models
from czrm.cases import models as case_models
from czrm.cases import satisfaction as satisfaction_models
from czrm.catalogue import models as catalogue_models
from czrm.communications import models as communication_models
from czrm.consent import models as consent_models
from czrm.identity import models as identity_models  # noqa: F401
from czrm.interactions import models as interaction_models
from czrm.jobs import models as job_models
from czrm.kit.models import Base
from czrm.open311 import models as open311_models  # noqa: F401
from czrm.org import models as org_models
from czrm.people import models as people_models
from czrm.portal import models as portal_models
from czrm.privacy import models as privacy_models

__all__ = [
    "Base",
    "audit_models",
    "auth_models",
    "case_models",
    "catalogue_models",
    "communication_models",
    "consent_models",
    "interaction_models",
    "job_models",
    "org_models",
    "people_models",
    "privacy_models",
    "portal_models",
    "satisfaction_models",
]
