"""Name lists for synthetic people, streets and businesses.

Names are common in Britain across its communities; pools are grouped by the
language people in them most often ask to be contacted in, so a Welsh speaker
in the data tends to have a Welsh name. No entry refers to a real person.
"""

from __future__ import annotations

import unicodedata

# fmt: off
GIVEN_NAMES_EN: tuple[str, ...] = (
    # Women
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Florence", "Evie", "Poppy", "Ella", "Charlotte", "Emily", "Sophie",
    "Jessica", "Chloe", "Hannah", "Lucy", "Ellie", "Holly", "Megan", "Amy", "Laura", "Rebecca",
    "Sarah", "Emma", "Claire", "Rachel", "Nicola", "Joanne", "Helen", "Karen", "Susan",
    "Julie", "Tracey", "Deborah", "Elizabeth", "Margaret", "Patricia", "Jean", "Janet",
    "Christine", "Linda", "Pauline", "Barbara", "Maureen", "Sandra", "Gillian", "Kirsty",
    "Shauna", "Niamh", "Aoife", "Siobhan", "Eilidh", "Fiona", "Ruby", "Harriet", "Alice",
    "Abigail", "Georgia", "Jasmine", "Leah", "Keisha", "Chantelle", "Abena", "Adaeze",
    "Chiamaka", "Folake", "Zainab", "Mei", "Lin", "Anjali", "Deepa",
    # Men
    "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Jack",
    "Charlie", "Freddie", "Theo", "Thomas", "James", "William", "Alfie", "Joshua", "Daniel",
    "Samuel", "Benjamin", "Joseph", "Matthew", "Luke", "Ryan", "Liam", "Nathan", "Adam",
    "Jamie", "Lewis", "Callum", "Connor", "Kieran", "Jordan", "Craig", "Darren", "Lee",
    "Stuart", "Paul", "Mark", "David", "Andrew", "Richard", "Stephen", "Michael", "Peter",
    "John", "Robert", "Ian", "Graham", "Kevin", "Gary", "Neil", "Martin", "Colin", "Keith",
    "Brian", "Derek", "Trevor", "Alan", "Kenneth", "Roy", "Dennis", "Eamon", "Ciaran",
    "Fraser", "Hamish", "Callan", "Tyrone", "Kwame", "Kofi", "Chidi", "Emeka", "Tunde",
    "Wei", "Jun", "Sanjay", "Rajesh", "Vikram", "Arjun",
)
GIVEN_NAMES_CY: tuple[str, ...] = (
    "Rhys", "Dafydd", "Gethin", "Iwan", "Owain", "Emyr", "Huw", "Gareth", "Aled", "Steffan",
    "Siân", "Cerys", "Ffion", "Angharad", "Nia", "Carys", "Seren", "Eleri", "Bethan", "Lowri",
)
GIVEN_NAMES_PL: tuple[str, ...] = (
    "Piotr", "Tomasz", "Krzysztof", "Marek", "Paweł", "Jakub", "Łukasz", "Michał", "Kamil",
    "Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Anna", "Małgorzata", "Zofia", "Ewa",
)
GIVEN_NAMES_UR: tuple[str, ...] = (
    "Imran", "Tariq", "Bilal", "Asif", "Zubair", "Kamran", "Usman", "Faisal", "Shahid",
    "Ayesha", "Saima", "Nadia", "Rabia", "Shazia", "Samina", "Farah", "Nasreen",
)
GIVEN_NAMES_AR: tuple[str, ...] = (
    "Omar", "Yusuf", "Khalid", "Ibrahim", "Hassan", "Karim", "Tarek", "Samir", "Mahmoud",
    "Fatima", "Mariam", "Layla", "Noor", "Huda", "Rania", "Salma", "Amira",
)

FAMILY_NAMES_EN: tuple[str, ...] = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
    "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Wilkinson", "Foster",
    "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
    "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
    "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
    "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton",
    "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong",
    "Francis", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter",
    "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry",
    "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton",
    "Oliver", "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Dean", "Lane", "Cooke",
    "Bates", "Henderson", "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd",
    "Ross", "Cross", "Long", "Freeman", "Warren", "Hamilton", "Byrne", "Sutton", "McDonald",
    "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor", "Harper", "Coleman",
    "McCarthy", "Chambers", "O'Neill", "Griffin", "Sharp", "Osei", "Mensah", "Okafor",
    "Adeyemi", "Chen", "Wong", "Sharma", "Mistry",
)
FAMILY_NAMES_CY: tuple[str, ...] = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
    "Griffiths", "Owen", "Rees", "Jenkins", "Price", "Pritchard", "Parry", "Llewellyn",
    "Vaughan", "Bowen", "Prosser",
)
FAMILY_NAMES_PL: tuple[str, ...] = (
    "Nowak", "Kowalczyk", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
    "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Krawczyk",
)
FAMILY_NAMES_UR: tuple[str, ...] = (
    "Khan", "Hussain", "Ahmed", "Ali", "Akhtar", "Iqbal", "Mahmood", "Rashid", "Butt",
    "Malik", "Qureshi", "Chaudhry", "Raza",
)
FAMILY_NAMES_AR: tuple[str, ...] = (
    "Hassan", "Abdullah", "Mansour", "Haddad", "Nasser", "Saleh", "Farouk", "Khalil",
    "Aziz", "Rahman", "Ibrahim", "Mustafa",
)

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        GIVEN_NAMES_EN + GIVEN_NAMES_CY + GIVEN_NAMES_PL + GIVEN_NAMES_UR + GIVEN_NAMES_AR,
        FAMILY_NAMES_EN + FAMILY_NAMES_PL + FAMILY_NAMES_UR + FAMILY_NAMES_AR,
    ),
    "cy": (GIVEN_NAMES_CY, FAMILY_NAMES_CY),
    "pl": (GIVEN_NAMES_PL, FAMILY_NAMES_PL),
    "ur": (GIVEN_NAMES_UR, FAMILY_NAMES_UR),
    "ar": (GIVEN_NAMES_AR, FAMILY_NAMES_AR),
}
# Preferred languages and their shares of the population.
LANGUAGES: tuple[tuple[str, float], ...] = (
    ("en", 0.90),
    ("cy", 0.035),
    ("pl", 0.025),
    ("ur", 0.025),
    ("ar", 0.015),
)
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")
# Ofcom's drama ranges: numbers that are never allocated to a subscriber.
PHONE_RANGES: tuple[str, ...] = (
    "07700 900{:03d}",
    "0121 496 0{:03d}",
    "0113 496 0{:03d}",
    "0114 496 0{:03d}",
    "0115 496 0{:03d}",
    "0116 496 0{:03d}",
    "0117 496 0{:03d}",
    "0118 496 0{:03d}",
    "0161 496 0{:03d}",
    "020 7946 0{:03d}",
    "029 2018 0{:03d}",
    "01632 960{:03d}",
)

STREET_ROOTS: tuple[str, ...] = (
    "Mill", "Church", "Station", "Victoria", "Albert", "Queen's", "King's", "Park", "High",
    "Manor", "Chapel", "School", "Oak", "Elm", "Beech", "Willow", "Ash", "Cedar", "Orchard",
    "Meadow", "Brook", "Abbey", "Castle", "Priory", "Market", "Bridge", "Canal", "Forge",
    "Tanners", "Weavers", "Coronation", "Windsor", "Grange", "Hawthorn", "Holly", "Laburnum",
    "Rosemary", "Sycamore", "Chestnut", "Poplar", "Larch", "Rowan", "Heather", "Fern",
    "Linden", "Mulberry", "Primrose", "Bluebell", "Foxglove", "Kingfisher", "Heron", "Swan",
    "Lark", "Wren", "Falcon", "Mere", "Lakeside", "Riverside", "Ferry", "Wharf", "Quarry",
    "Colliery", "Foundry", "Granary", "Malthouse", "Brewery", "Tannery", "Rope Walk",
    "Cross", "Well", "Spring", "Fountain", "Hill", "Vale", "Dale", "Ridge", "Common",
    "Green", "Heath", "Moor", "Field", "Farm", "Barn", "Orchid", "Lavender", "Juniper",
    "Maple", "Hazel", "Alder", "Birch", "Hornbeam", "Magnolia", "Clover", "Thistle",
    "Dean", "Fair", "Northmere", "Avon", "Severn", "Trent", "Mercia", "Wessex", "Tudor",
    "Stuart", "Hanover", "Jubilee", "Albion", "Nelson", "Wellington", "Gladstone",
    "Peel", "Darwin", "Brunel", "Telford", "Wedgwood", "Newton", "Faraday", "Shakespeare",
)
STREET_SUFFIXES: tuple[str, ...] = (
    "Road", "Street", "Lane", "Avenue", "Close", "Crescent", "Drive", "Way", "Grove",
    "Gardens", "Terrace", "Place", "Walk", "Rise", "Mews", "Court", "View",
)
LANDMARKS: tuple[str, ...] = (
    "the bus stop",
    "the corner shop",
    "the primary school",
    "the post box",
    "the pub",
    "the church",
    "the doctors' surgery",
    "the petrol station",
    "the pharmacy",
    "the community centre",
    "the zebra crossing",
    "the park gates",
    "the Co-op",
    "the chip shop",
    "the railway bridge",
    "the allotments",
)
BUSINESS_NAMES: tuple[str, ...] = (
    "Golden Dragon Takeaway",
    "Mere Street Fish Bar",
    "The Abbey Café",
    "Castlegate Kebab House",
    "Brookside Bakery",
    "Spice of Northmere",
    "Pizza Palace",
    "The Red Lion",
    "Fairholme Food & Wine",
    "Deanswood Sandwich Bar",
    "Eastmere Chicken Shack",
    "The Coffee Pot",
    "Bella Napoli",
    "Market Hall Noodle Bar",
    "Jolly Friar Carvery",
)
VEHICLES: tuple[str, ...] = (
    "Silver Ford Focus",
    "Blue Vauxhall Corsa",
    "Black BMW 3 Series",
    "Red Volkswagen Golf",
    "White Ford Transit van",
    "Grey Nissan Qashqai",
    "Green Land Rover Discovery",
    "Silver Toyota Yaris",
    "Blue Peugeot 208",
    "Black Audi A3",
    "White Citroën Berlingo",
    "Maroon Honda Civic",
)
# Registration letters never use I, Q or Z in the area part.
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# fmt: on


_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"})


def ascii_slug(text: str) -> str:
    """``Siân O'Brien`` -> ``sian.obrien``: for usernames and email local parts."""
    plain = (
        unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
        .encode("ascii", "ignore")
        .decode()
    )
    words = ("".join(ch for ch in word if ch.isalnum()).lower() for word in plain.split())
    return ".".join(w for w in words if w)
