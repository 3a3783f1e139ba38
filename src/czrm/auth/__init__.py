"""Who is acting: staff users, roles, department scope, API tokens."""
