"""Tasks by name. A task takes the session and keyword arguments from the job row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

TaskFn = Callable[..., Any]


@dataclass(frozen=True)
class TaskDef:
    name: str
    fn: TaskFn
    max_attempts: int
    every: timedelta | None


TASKS: dict[str, TaskDef] = {}


def task(
    name: str, *, max_attempts: int = 5, every: timedelta | None = None
) -> Callable[[TaskFn], TaskFn]:
    """Register ``fn(session, **args)`` as task ``name``; ``every`` makes it periodic."""

    def register(fn: TaskFn) -> TaskFn:
        TASKS[name] = TaskDef(name=name, fn=fn, max_attempts=max_attempts, every=every)
        return fn

    return register


def load_tasks() -> None:
    """Import every module that registers tasks."""
    from czrm.cases import tasks as case_tasks  # noqa: F401
    from czrm.communications import tasks as communication_tasks  # noqa: F401
    from czrm.identity import tasks as identity_tasks  # noqa: F401
    from czrm.jobs import tasks as job_tasks  # noqa: F401
    from czrm.portal import tasks as portal_tasks  # noqa: F401


def get(name: str) -> TaskDef | None:
    load_tasks()
    return TASKS.get(name)


def run(session: Session, name: str, args: dict[str, Any]) -> Any:
    definition = get(name)
    if definition is None:
        raise LookupError(f"no task named {name!r}")
    return definition.fn(session, **args)
