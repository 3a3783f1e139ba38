"""Words for the public: statuses and timeline entries as citizens read them.

Marked with ``N_`` for extraction and translated when the page renders.
"""

from __future__ import annotations

from czrm.kit import pages
from czrm.kit.i18n import N_
from czrm.kit.pages import environment
from czrm.portal.service import error_page_theme

STATUS_LABELS = {
    "new": N_("Received"),
    "acknowledged": N_("Acknowledged"),
    "investigating": N_("Investigating"),
    "in_progress": N_("In progress"),
    "action_scheduled": N_("Work scheduled"),
    "waiting_on_citizen": N_("Waiting for your reply"),
    "fixed": N_("Fixed"),
    "closed": N_("Closed"),
    "duplicate": N_("Already reported"),
    "not_responsible": N_("Not our responsibility"),
    "no_further_action": N_("No further action"),
    "internal_referral": N_("Passed to another team"),
    "cancelled": N_("Cancelled"),
    "reopened": N_("Reopened"),
}

EVENT_LABELS = {
    "case_opened": N_("Request received"),
    "status_changed": N_("Status changed"),
    "public_update": N_("Update"),
    "internal_note": N_("Internal note"),
    "assigned": N_("Assigned"),
    "sla_breached": N_("Target time passed"),
    "escalated": N_("Escalated"),
}

environment.globals["status_labels"] = STATUS_LABELS
environment.globals["event_labels"] = EVENT_LABELS
pages.theme_resolver = error_page_theme
