"""The job outbox and its worker."""
