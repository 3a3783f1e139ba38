from __future__ import annotations

from czrm.errors import Conflict, CzrmError


class NoModel(CzrmError):
    def __init__(self) -> None:
        super().__init__(
            message=(
                "no linkage model has been trained for this version of czrm yet; "
                "run `czrm link` first"
            ),
            status=409,
            code="no_link_model",
        )


class UnreadableFile(CzrmError):
    def __init__(self, message: str) -> None:
        super().__init__(message=message, status=422, code="unreadable_file")


class AlreadyDecided(Conflict):
    def __init__(self, item_id: int, status: str) -> None:
        super().__init__(f"review item {item_id} is already {status}", code="already_decided")


class CannotUndo(Conflict):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="cannot_undo")
