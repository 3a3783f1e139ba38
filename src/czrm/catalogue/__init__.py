"""The service catalogue: Open311-shaped definitions of what can be requested."""
