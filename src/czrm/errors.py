"""One error model for the whole system.

Domain code raises ``CzrmError`` subclasses; the web layer renders them in the
caller's format (problem+json on the REST API, the Open311 error list on the
public API). Nothing else ever reaches a caller: no stack trace, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One offending input: where it is (dotted path) and what is wrong."""

    field: str
    message: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "code": self.code}


@dataclass
class CzrmError(Exception):
    message: str
    status: int = 400
    code: str = "bad_request"
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


class ValidationFailed(CzrmError):
    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        first = errors[0] if errors else None
        super().__init__(
            message=message or (f"{first.field}: {first.message}" if first else "invalid input"),
            status=422,
            code="validation_failed",
            errors=errors,
        )


class NotFound(CzrmError):
    def __init__(self, what: str, ident: object = None) -> None:
        text = f"{what} not found" if ident is None else f"{what} {ident} not found"
        super().__init__(message=text, status=404, code="not_found")


class Forbidden(CzrmError):
    def __init__(self, message: str = "you are not allowed to do this") -> None:
        super().__init__(message=message, status=403, code="forbidden")


class NotAuthenticated(CzrmError):
    def __init__(self, message: str = "authentication required") -> None:
        super().__init__(message=message, status=401, code="not_authenticated")


class Conflict(CzrmError):
    def __init__(self, message: str, code: str = "conflict", **extra: Any) -> None:
        super().__init__(message=message, status=409, code=code, extra=extra)
