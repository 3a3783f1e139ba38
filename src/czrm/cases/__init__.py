"""Service requests: intake, routing, workflow, SLA clocks and the timeline."""
