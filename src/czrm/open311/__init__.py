"""The Open311 GeoReport v2 façade over cases and the service catalogue."""
