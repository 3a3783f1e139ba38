"""The citizen portal: report a problem, track it, rate the service, sign in by e-mail."""
