"""The staff console: sign-in with a second factor, queues and the case page."""
