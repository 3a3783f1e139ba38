"""Every contact with a citizen, on any channel, inbound or outbound."""
