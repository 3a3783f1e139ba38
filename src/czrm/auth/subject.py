"""Who is acting, and what that lets them do.

Permissions follow roles; case visibility follows department membership,
except for admins and contact-centre agents, who answer for every department.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from czrm.auth.models import Role
from czrm.errors import Forbidden


class Permission(StrEnum):
    CASES_READ = "cases:read"
    CASES_CREATE = "cases:create"
    CASES_UPDATE = "cases:update"
    CASES_ASSIGN = "cases:assign"
    CASES_NOTE = "cases:note"
    SERVICES_ADMIN = "services:admin"
    STAFF_ADMIN = "staff:admin"
    JOBS_ADMIN = "jobs:admin"
    AUDIT_READ = "audit:read"
    INTERACTIONS_READ = "interactions:read"
    INTERACTIONS_CREATE = "interactions:create"
    CONSENT_READ = "consent:read"
    CONSENT_MANAGE = "consent:manage"
    MESSAGES_READ = "messages:read"
    # The register of processing, subject-rights requests and the access log.
    PRIVACY_ADMIN = "privacy:admin"


# Everyone who answers citizens logs contacts, records what they agree to and
# sees what was sent to them.
_CONTACT = frozenset(
    {
        Permission.INTERACTIONS_READ,
        Permission.INTERACTIONS_CREATE,
        Permission.CONSENT_READ,
        Permission.CONSENT_MANAGE,
        Permission.MESSAGES_READ,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AGENT: frozenset({Permission.CASES_READ, Permission.CASES_CREATE, Permission.CASES_NOTE})
    | _CONTACT,
    Role.CASEWORKER: frozenset(
        {
            Permission.CASES_READ,
            Permission.CASES_CREATE,
            Permission.CASES_UPDATE,
            Permission.CASES_ASSIGN,
            Permission.CASES_NOTE,
        }
    )
    | _CONTACT,
    Role.MANAGER: frozenset(
        {
            Permission.CASES_READ,
            Permission.CASES_CREATE,
            Permission.CASES_UPDATE,
            Permission.CASES_ASSIGN,
            Permission.CASES_NOTE,
        }
    )
    | _CONTACT,
    Role.DPO: frozenset({Permission.AUDIT_READ, Permission.CONSENT_READ, Permission.PRIVACY_ADMIN}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """What the audit log records about whoever made a change."""

    kind: str  # staff | system | citizen | client
    id: str | None = None
    label: str = ""


SYSTEM = Actor(kind="system", id=None, label="czrm")


@dataclass(frozen=True)
class Subject:
    staff_id: uuid.UUID
    jurisdiction_id: uuid.UUID
    username: str
    display_name: str
    roles: frozenset[Role]
    department_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    @property
    def actor(self) -> Actor:
        return Actor(kind="staff", id=str(self.staff_id), label=self.display_name)

    @property
    def permissions(self) -> frozenset[Permission]:
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS.get(role, frozenset())
        return frozenset(granted)

    @property
    def sees_all_departments(self) -> bool:
        return Role.ADMIN in self.roles or Role.AGENT in self.roles

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"your roles do not allow {permission.value}")

    def in_scope(self, department_id: uuid.UUID) -> bool:
        return self.sees_all_departments or department_id in self.department_ids
