"""Jurisdictions (tenants), departments, teams and their working calendars."""
