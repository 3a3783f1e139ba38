from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from czrm.communications import delivery, inbound
from czrm.communications.service import communication_service
from czrm.communications.status import check_notify_statuses
from czrm.jobs.registry import task


@task("communications.deliver", max_attempts=10)
def deliver(session: Session, message_id: int) -> str:
    return delivery.deliver_in(session, message_id)


@task("communications.send_digests", every=timedelta(minutes=15))
def send_digests(session: Session) -> int:
    return communication_service.send_digests(session)


@task("communications.process_inbound", max_attempts=5)
def process_inbound(session: Session, inbound_id: int) -> str:
    return inbound.process(session, inbound_id)


@task("communications.check_notify", every=timedelta(minutes=10))
def check_notify(session: Session) -> int:
    return check_notify_statuses(session)
