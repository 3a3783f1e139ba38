"""Reproducible benchmarks that print figures (not pass/fail tests)."""
