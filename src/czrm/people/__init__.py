"""Parties (persons and organisations) and how to reach them."""
