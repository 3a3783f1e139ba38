"""Words of the demo council's catalogue, marked so the portal catalogues carry
their Welsh and Arabic. Service names and questions are data: the portal
looks each up in the page language and shows it as written when there is no
translation (a council's own services, until it adds them to the catalogues).
"""

from __future__ import annotations

from czrm.kit.i18n import N_

GROUPS = (
    N_("Bins and recycling"),
    N_("Community safety"),
    N_("Contact us"),
    N_("Council housing"),
    N_("Council tax and benefits"),
    N_("Food, pests and pollution"),
    N_("Housing advice"),
    N_("Libraries and culture"),
    N_("Noise and nuisance"),
    N_("Parking"),
    N_("Parks, trees and green spaces"),
    N_("Roads and pavements"),
    N_("Street cleaning"),
    N_("Street lighting"),
)

SERVICES = (
    N_("Pothole"),
    N_("A hole or sunken area in the road surface or at the kerb edge."),
    N_("How big is the pothole?"),
    N_("Smaller than a dinner plate"),
    N_("Between a dinner plate and a dustbin lid"),
    N_("Larger than a dustbin lid"),
    N_("Roughly how deep is it?"),
    N_("Depth in centimetres"),
    N_("Where is it on the road?"),
    N_("In the road"),
    N_("In a cycle lane"),
    N_("At the kerb edge"),
    N_("At a junction"),
    N_("Street light not working"),
    N_("Fly-tipping"),
    N_("Missed bin collection"),
    N_("Graffiti"),
)
