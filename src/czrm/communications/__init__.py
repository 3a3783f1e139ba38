"""Messages to citizens (templates, channels, providers, the outbox and
delivery status) and e-mail from citizens (the SMTP receiver, the IMAP poller)."""
