"""What residents write and what officers reply, for synthetic cases.

Description templates may use ``{street}``, ``{street2}`` and ``{landmark}``.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "POTHOLE": (
        "Large pothole on {street} near {landmark}. Cars are swerving round it.",
        "There is a deep pothole in the road outside {landmark} on {street}. "
        "It has already burst a tyre.",
        "Pothole by the kerb on {street} - dangerous for cyclists, especially at night.",
        "Several potholes have opened up on {street} after the rain, the worst is by {landmark}.",
    ),
    "DAMAGED_PAVEMENT": (
        "Paving slab rocking on {street} outside {landmark}. My mother nearly tripped.",
        "The pavement on {street} has been lifted by tree roots and is a trip hazard.",
        "Broken kerb stones on the corner of {street} and {street2}.",
    ),
    "BLOCKED_DRAIN": (
        "The drain on {street} is blocked and the road floods every time it rains.",
        "Gully outside {landmark} on {street} is full of leaves and silt.",
        "Standing water across {street} near {landmark}, the drain is not taking it away.",
    ),
    "DAMAGED_ROAD_SIGN": (
        "The give way sign at the end of {street} has been knocked flat.",
        "Bollard outside {landmark} on {street} is broken and lying in the road.",
        "Street name sign for {street} is missing.",
    ),
    "TRAFFIC_SIGNAL_FAULT": (
        "Traffic lights at {street} / {street2} are all out. Drivers are confused.",
        "The pedestrian crossing on {street} by {landmark} never shows the green man.",
        "Lights at the junction of {street} and {street2} are stuck on red.",
    ),
    "ROAD_SPILLAGE": (
        "Diesel spilled across {street} near {landmark}, very slippery.",
        "Gravel and debris all over the road on {street} after a lorry shed its load.",
    ),
    "GRITTING_REQUEST": (
        "{street} is like an ice rink this morning and has not been gritted.",
        "The grit bin at the top of {street} is empty.",
        "Footpath on {street} by {landmark} is covered in ice, people are slipping.",
    ),
    "STREETLIGHT_OUT": (
        "Street light outside {landmark} on {street} has been out for a week.",
        "Lamp post on {street} is flickering on and off all night.",
        "Street light on {street} is on all day.",
        "Two lights out on {street}, the whole stretch by {landmark} is pitch dark.",
    ),
    "MISSED_BIN": (
        "Our bin on {street} was not emptied today although it was out first thing.",
        "The whole of {street} was missed this week.",
        "Bin missed again on {street}. This is the second time this month.",
    ),
    "BULKY_WASTE": (
        "Please collect an old sofa and a mattress from the front of the house on {street}.",
        "I need a fridge freezer collecting from {street}.",
        "Collection of a broken wardrobe and some garden chairs, please.",
    ),
    "NEW_BIN_REQUEST": (
        "Our recycling bin was taken by the lorry and not returned.",
        "The lid of our bin has snapped off.",
        "We have just moved into a new build on {street} and have no bins.",
    ),
    "FLY_TIPPING": (
        "Rubbish bags and an old mattress dumped in the alley behind {street}.",
        "Someone has dumped builders' rubble on the verge on {street} near {landmark}.",
        "Pile of tyres dumped at the end of {street} overnight.",
        "Fly-tipping by {landmark} on {street}: furniture and black bags.",
    ),
    "LITTER": (
        "The alley between {street} and {street2} is full of litter.",
        "Lots of litter along {street} after the weekend.",
        "{street} has not been swept for weeks.",
    ),
    "OVERFLOWING_LITTER_BIN": (
        "Litter bin by {landmark} on {street} is overflowing.",
        "The dog bin on {street} is full and smells.",
    ),
    "GRAFFITI": (
        "Graffiti sprayed on the wall by {landmark} on {street}.",
        "Bus shelter on {street} covered in tags.",
        "Offensive graffiti on the fence on {street}, children walk past it to school.",
    ),
    "DOG_FOULING": (
        "Dog mess all along the pavement on {street}.",
        "The path by {landmark} on {street} is covered in dog mess every morning.",
    ),
    "DEAD_ANIMAL": (
        "Dead fox in the road on {street}.",
        "There is a dead cat on the pavement outside {landmark} on {street}.",
        "Dead deer on the verge on {street}.",
    ),
    "DISCARDED_NEEDLES": (
        "Needles left in the alley behind {street}.",
        "Syringes on the grass by {landmark} on {street}, near where children play.",
    ),
    "NOISE": (
        "Neighbours on {street} playing loud music until 3am most nights.",
        "Dog barking all day at a house on {street} while the owners are out.",
        "Building work on {street} starts at 6am, including Sundays.",
        "The bar on {street} has music so loud we cannot sleep.",
    ),
    "BONFIRE_SMOKE": (
        "A neighbour on {street} burns rubbish in their garden every weekend.",
        "Thick smoke from a bonfire on {street}, we cannot open our windows.",
    ),
    "PEST_CONTROL": (
        "We have rats in the garden and have seen one in the kitchen.",
        "Wasps' nest under the eaves by the front door.",
        "Mice in the kitchen cupboards.",
    ),
    "FOOD_HYGIENE": (
        "I got food poisoning after eating at a takeaway on {street}.",
        "Saw staff handling raw meat and then serving food without washing hands.",
        "Mouse droppings on the counter at a shop on {street}.",
    ),
    "HOUSING_REPAIR": (
        "The kitchen tap is leaking constantly.",
        "Back door will not close properly and lets the rain in.",
        "Bathroom extractor fan has stopped working.",
        "Guttering at the front of the house is hanging off.",
    ),
    "EMERGENCY_REPAIR": (
        "No heating or hot water since yesterday and I have a baby at home.",
        "Water pouring through the ceiling from the flat above.",
        "Sparking socket in the kitchen, I have turned the power off.",
        "Front door lock broken, cannot secure the flat.",
    ),
    "DAMP_MOULD": (
        "Black mould on the bedroom walls and ceiling, my children keep getting ill.",
        "Damp patches in the bathroom and kitchen that keep coming back.",
        "Condensation streaming down the windows and mould on the window frames.",
    ),
    "ANTISOCIAL_BEHAVIOUR": (
        "Group of youths gathering by {landmark} on {street} every evening, shouting and "
        "throwing things.",
        "Cars racing up and down {street} late at night.",
        "Drug dealing in the car park behind {street}.",
    ),
    "HOMELESSNESS": (
        "My landlord has given me a section 21 notice and I have nowhere to go.",
        "I have been asked to leave by my family and am sofa surfing.",
        "I am being evicted at the end of the month.",
    ),
    "COUNCIL_TAX_QUERY": (
        "I live alone and would like to apply for the single person discount.",
        "My bill shows the wrong amount after I paid in full.",
        "I want to change my direct debit date.",
        "I have received a reminder but I have been paying every month.",
    ),
    "COUNCIL_TAX_MOVE": (
        "I am moving out of {street} at the end of the month.",
        "We have just moved into {street}, please set up council tax.",
    ),
    "BENEFITS_QUERY": (
        "I sent in my payslips three weeks ago and have not heard anything.",
        "My housing benefit has stopped and I do not know why.",
        "I would like to know if I can get council tax support.",
    ),
    "BUSINESS_RATES_QUERY": (
        "Can I get small business rate relief for my shop on {street}?",
        "We have closed our unit on {street}, please update our business rates account.",
    ),
    "ABANDONED_VEHICLE": (
        "Car parked on {street} has not moved for over a month and has flat tyres.",
        "Untaxed van left outside {landmark} on {street}.",
        "Burnt-out car on {street}.",
    ),
    "ILLEGAL_PARKING": (
        "Car blocking my dropped kerb on {street}, I cannot get out of my drive.",
        "Cars parked on the zig-zags outside the school on {street} every morning.",
        "Van parked on the pavement on {street}, wheelchair users have to go in the road.",
    ),
    "PARKING_PERMIT": (
        "My resident permit for {street} has not arrived.",
        "How do I get visitor permits for {street}?",
    ),
    "PAY_DISPLAY_FAULT": (
        "Ticket machine on {street} is not accepting cards.",
        "Pay and display machine by {landmark} has a blank screen.",
    ),
    "OVERGROWN_VEGETATION": (
        "Hedge on {street} is so overgrown you have to walk in the road.",
        "Grass verge on {street} has not been cut this year.",
        "Tree branches covering the street light on {street}.",
    ),
    "DANGEROUS_TREE": (
        "Large branch hanging off a tree on {street} after the storm.",
        "Tree on {street} has fallen across the pavement.",
        "Tree by {landmark} on {street} is leaning towards the houses.",
    ),
    "PLAYGROUND_DAMAGE": (
        "One of the swings in the play area off {street} has a broken chain.",
        "The slide in the playground by {landmark} has a sharp edge.",
    ),
    "PARK_FACILITIES": (
        "Bench in the park off {street} is broken.",
        "The park toilets by {landmark} have been locked for weeks.",
        "Path through the park off {street} is flooded and muddy.",
    ),
    "LIBRARY_ENQUIRY": (
        "How do I renew my books online?",
        "I have lost my library card, can I get a new one?",
        "Are the libraries open on bank holidays?",
    ),
    "VENUE_HIRE": (
        "I would like to book a room for a community group meeting on Tuesday evenings.",
        "Can we hire the museum hall for a wedding reception?",
    ),
    "GENERAL_ENQUIRY": (
        "Who do I contact about getting a blue badge?",
        "I would like to speak to someone about a letter I received.",
        "How do I register a death?",
        "Where is my nearest recycling centre?",
    ),
    "COMPLAINT": (
        "I have reported the same problem three times and nothing has been done.",
        "The member of staff I spoke to on the phone was very rude.",
        "I was promised a call back which never came.",
    ),
    "COMPLIMENT": (
        "The crew who cleared the fly-tipping on {street} were quick and polite.",
        "Thank you to the library staff for helping my dad use the computers.",
        "Very impressed with how fast the pothole on {street} was fixed.",
    ),
}

TEXT_ANSWERS: dict[str, tuple[str, ...]] = {
    "noise_details": (
        "Most nights from about 11pm until 3am.",
        "Every weekend, Friday and Saturday nights.",
        "All day while the owners are at work.",
        "It has been going on for about two months.",
    ),
    "food_issue": (
        "Staff not washing hands between handling raw meat and serving.",
        "Saw a mouse run behind the counter.",
        "Food was undercooked and I was ill the next day.",
    ),
    "access_notes": (
        "Any weekday morning. Please ring the bell, it works.",
        "I work nights so afternoons are best.",
        "There is a dog but it will be shut in the kitchen.",
        "Please call before coming, the intercom is broken.",
    ),
    "outcome_sought": (
        "I want the problem fixed and an apology.",
        "Please make sure it does not happen again.",
        "I would like someone to call me back.",
    ),
}

# Public updates, keyed by the status they follow ("*" fits any status).
PUBLIC_UPDATES: dict[str, tuple[str, ...]] = {
    "acknowledged": (
        "Thank you for your report. It has been passed to {team}.",
        "We have received your request and {team} will look at it.",
    ),
    "investigating": (
        "An officer will visit to inspect the problem.",
        "We are looking into this and will update you when we know more.",
    ),
    "in_progress": (
        "Work to resolve this has started.",
        "This has been assigned to an officer who is dealing with it.",
    ),
    "action_scheduled": (
        "A crew has been booked to attend within the next five working days.",
        "Repairs have been scheduled. We will update you once the work is done.",
    ),
    "waiting_on_citizen": (
        "We need a little more information from you. Please reply to the email we sent.",
        "We tried to call you but could not get through. Please get in touch.",
    ),
    "fixed": (
        "This has now been dealt with. Thank you for letting us know.",
        "The work has been completed. Thank you for reporting it.",
    ),
    "closed": (
        "We have closed this request. Thank you for getting in touch.",
        "This request is now closed. Please report it again if the problem comes back.",
    ),
    "duplicate": ("This has already been reported and we are dealing with it.",),
    "not_responsible": (
        "This is not something the council is responsible for. We have passed the details "
        "to the owner.",
        "This is on private land, so the owner is responsible for it.",
    ),
    "no_further_action": (
        "We inspected this and it does not currently meet our criteria for action.",
        "After looking into this we will not be taking further action at this time.",
    ),
    "internal_referral": ("This has been passed to another council service to deal with.",),
    "reopened": ("We have reopened your request and will look at it again.",),
}

# Internal notes, keyed by department code ("*" for any department).
INTERNAL_NOTES: dict[str, tuple[str, ...]] = {
    "*": (
        "Called the resident, no answer. Left a voicemail.",
        "Spoke to the resident, they confirmed the details.",
        "Checked for duplicates, none found.",
        "Resident called again asking for an update.",
    ),
    "HIGHWAYS": (
        "Inspected on site. Category 2 defect, added to the patching programme.",
        "Inspected: below intervention level, will monitor.",
        "Raised works order with the term contractor.",
        "Traffic management needed, booked with the network team.",
    ),
    "WASTE": (
        "Crew report says the bin was not presented.",
        "Passed to the enforcement officer to search for evidence.",
        "Added to tomorrow's clearance round.",
        "Checked the in-cab system: the crew recorded the street as completed.",
    ),
    "ENV_HEALTH": (
        "Diary sheets sent to the complainant.",
        "Noise monitoring equipment installed for two weeks.",
        "Visited the premises, spoke to the manager.",
    ),
    "HOUSING": (
        "Surveyor visit booked.",
        "Job raised with the repairs contractor, priority 3.",
        "Tenant is vulnerable, flagged for a welfare check.",
        "Damp survey completed; treatment and extractor fan ordered.",
    ),
    "REVENUES": (
        "Account checked; payments allocated correctly.",
        "Discount applied from the date of the request.",
        "Evidence requested from the customer.",
    ),
    "PARKING": (
        "Civil enforcement officer dispatched.",
        "DVLA check requested.",
        "Vehicle tagged with a seven day notice.",
    ),
    "PARKS": (
        "Tree officer to inspect.",
        "Added to the grounds maintenance schedule.",
        "Play equipment taped off pending repair.",
    ),
    "LIBRARIES": ("Passed to the branch manager.", "Membership record updated."),
    "CUSTOMER": (
        "Logged as a stage 1 complaint.",
        "Passed to the service manager for a response.",
        "Acknowledgement letter sent.",
    ),
}

SUB_STATUSES: dict[str, tuple[str, ...]] = {
    "investigating": ("inspection booked", "awaiting inspection"),
    "action_scheduled": ("works order raised", "crew booked", "contractor booked"),
    "waiting_on_citizen": ("awaiting information", "awaiting access", "awaiting evidence"),
    "in_progress": ("with contractor", "officer assigned"),
}
