"""Consents, objections, restrictions, opt-outs and contact preferences: the one
place that answers "may the council contact this person, for this, this way?"."""
