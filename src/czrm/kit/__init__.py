"""Domain-free plumbing: database, base model, time, pagination."""
