"""czrm: Citizen Relationship Management for councils and public bodies."""

__version__ = "0.1.0"
