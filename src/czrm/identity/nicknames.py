"""Common English nicknames and short forms → the formal first name.

Deliberately conservative: a form that is short for several names
(``alex``, ``sam``, ``chris``, ``jo``) maps to none of them, because a wrong
equivalence would link different people.
"""

from __future__ import annotations

_FORMAL: dict[str, tuple[str, ...]] = {
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "william": ("bill", "billy", "will", "willie", "liam"),
    "richard": ("dick", "rick", "ricky", "rich", "richie"),
    "james": ("jim", "jimmy", "jamie"),
    "john": ("johnny", "jack", "jon"),
    "michael": ("mike", "mick", "mickey", "micky"),
    "thomas": ("tom", "tommy"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "anthony": ("tony",),
    "joseph": ("joe", "joey"),
    "charles": ("charlie", "chuck", "chas"),
    "david": ("dave", "davey"),
    "daniel": ("dan", "danny"),
    "matthew": ("matt", "matty"),
    "benjamin": ("ben", "benny"),
    "nicholas": ("nick", "nicky"),
    "stephen": ("steve", "stevie", "steven"),
    "peter": ("pete",),
    "andrew": ("andy", "drew"),
    "timothy": ("tim", "timmy"),
    "kenneth": ("ken", "kenny"),
    "gregory": ("greg",),
    "jonathan": ("jonny",),
    "patrick": ("pat", "paddy"),
    "henry": ("harry", "hal"),
    "frederick": ("fred", "freddie", "freddy"),
    "margaret": ("maggie", "peggy", "meg", "marge", "margie"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "bess", "eliza", "libby"),
    "catherine": ("cathy", "kate", "katie", "kath", "katherine", "kathryn", "kathy"),
    "susan": ("sue", "susie", "suzy"),
    "deborah": ("debbie", "deb", "debra"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca"),
    "victoria": ("vicky", "vikki", "tori"),
    "patricia": ("patty", "trish", "tricia"),
    "christine": ("chrissie", "tina"),
    "barbara": ("barb", "babs"),
    "dorothy": ("dot", "dotty", "dolly"),
    "jacqueline": ("jackie",),
    "pamela": ("pam",),
    "sandra": ("sandy",),
    "abigail": ("abby", "abbie"),
    "eleanor": ("ellie", "nora"),
    "gillian": ("gill", "jill"),
    "jessica": ("jess", "jessie"),
    "amanda": ("mandy",),
}

NICKNAMES: dict[str, str] = {
    short: formal for formal, shorts in _FORMAL.items() for short in shorts
}
