"""Reference data for Stockholm County: municipalities, Stockholm's city districts, local groups.

Areas are official names with SCB codes. The local groups follow the county's shape in 2024:
33 groups, some shared between municipalities or city districts.
"""

import datetime

# (area name, principal's official name, SCB code)
MUNICIPALITIES: list[tuple[str, str, str]] = [
    ("Botkyrka", "Botkyrka kommun", "0127"),
    ("Danderyd", "Danderyds kommun", "0162"),
    ("Ekerö", "Ekerö kommun", "0125"),
    ("Haninge", "Haninge kommun", "0136"),
    ("Huddinge", "Huddinge kommun", "0126"),
    ("Järfälla", "Järfälla kommun", "0123"),
    ("Lidingö", "Lidingö stad", "0186"),
    ("Nacka", "Nacka kommun", "0182"),
    ("Norrtälje", "Norrtälje kommun", "0188"),
    ("Nykvarn", "Nykvarns kommun", "0140"),
    ("Nynäshamn", "Nynäshamns kommun", "0192"),
    ("Salem", "Salems kommun", "0128"),
    ("Sigtuna", "Sigtuna kommun", "0191"),
    ("Sollentuna", "Sollentuna kommun", "0163"),
    ("Solna", "Solna stad", "0184"),
    ("Stockholm", "Stockholms stad", "0180"),
    ("Sundbyberg", "Sundbybergs stad", "0183"),
    ("Södertälje", "Södertälje kommun", "0181"),
    ("Tyresö", "Tyresö kommun", "0138"),
    ("Täby", "Täby kommun", "0160"),
    ("Upplands Väsby", "Upplands Väsby kommun", "0114"),
    ("Upplands-Bro", "Upplands-Bro kommun", "0139"),
    ("Vallentuna", "Vallentuna kommun", "0115"),
    ("Vaxholm", "Vaxholms stad", "0187"),
    ("Värmdö", "Värmdö kommun", "0120"),
    ("Österåker", "Österåkers kommun", "0117"),
]

_MERGER = datetime.date(2020, 1, 1)
_BEFORE_MERGER = datetime.date(2019, 12, 31)

# (name, valid_from, valid_to): 14 districts until 2019, 13 from 2020.
DISTRICTS: list[tuple[str, datetime.date | None, datetime.date | None]] = [
    ("Rinkeby-Kista", None, None),
    ("Spånga-Tensta", None, None),
    ("Hässelby-Vällingby", None, None),
    ("Bromma", None, None),
    ("Kungsholmen", None, None),
    ("Norrmalm", None, None),
    ("Östermalm", None, None),
    ("Södermalm", None, None),
    ("Enskede-Årsta-Vantör", None, None),
    ("Skarpnäck", None, None),
    ("Farsta", None, None),
    ("Skärholmen", None, None),
    ("Hägersten-Liljeholmen", None, _BEFORE_MERGER),
    ("Älvsjö", None, _BEFORE_MERGER),
    ("Hägersten-Älvsjö", _MERGER, None),
]

# Local BUS groups: name -> areas covered. 23 municipal groups + 10 Stockholm district groups.
LOCAL_GROUPS: dict[str, list[str]] = {
    **{
        name: [name]
        for name, _principal, _code in MUNICIPALITIES
        if name not in {"Stockholm", "Järfälla", "Upplands-Bro", "Södertälje", "Salem"}
    },
    "Järfälla/Upplands-Bro": ["Järfälla", "Upplands-Bro"],
    "Södertälje/Salem": ["Södertälje", "Salem"],
    "Rinkeby-Kista och Spånga-Tensta": ["Rinkeby-Kista", "Spånga-Tensta"],
    "Hässelby-Vällingby": ["Hässelby-Vällingby"],
    "Bromma": ["Bromma"],
    "Innerstaden (Kungsholmen, Norrmalm, Östermalm)": ["Kungsholmen", "Norrmalm", "Östermalm"],
    "Södermalm": ["Södermalm"],
    "Enskede-Årsta-Vantör": ["Enskede-Årsta-Vantör"],
    "Skarpnäck": ["Skarpnäck"],
    "Farsta": ["Farsta"],
    "Hägersten-Älvsjö": ["Hägersten-Älvsjö"],
    "Skärholmen": ["Skärholmen"],
}

# Municipal units every municipality (other than Stockholm) gets in the demo county.
MUNICIPAL_UNITS = [
    ("Socialtjänst, barn och unga", "social_services"),
    ("Förskola", "preschool"),
    ("Grundskola", "compulsory_school"),
    ("Elevhälsa", "student_health"),
    ("Funktionsstöd", "disability"),
]
DISTRICT_UNITS = [
    ("Socialtjänst, barn och unga", "social_services"),
    ("Förskola", "preschool"),
    ("Funktionsstöd", "disability"),
]

# Region Stockholm's child services, grouped by the part of the county they serve.
REGION_SECTORS: dict[str, list[str]] = {
    "Nordost": ["Danderyd", "Täby", "Vallentuna", "Vaxholm", "Österåker", "Norrtälje", "Lidingö"],
    "Nordväst": [
        "Järfälla",
        "Upplands-Bro",
        "Sigtuna",
        "Sollentuna",
        "Solna",
        "Sundbyberg",
        "Upplands Väsby",
    ],
    "Sydost": ["Haninge", "Nynäshamn", "Tyresö", "Nacka", "Värmdö"],
    "Sydväst": ["Botkyrka", "Huddinge", "Salem", "Södertälje", "Nykvarn", "Ekerö"],
    "Stockholm": [name for name, _f, _t in DISTRICTS],
}
REGION_SECTOR_UNITS = [
    ("BUP {sector}", "bup"),
    ("Habilitering {sector}", "habilitation"),
    ("BUMM {sector}", "bumm"),
    ("BVC {sector}", "bvc"),
    ("MVC {sector}", "mvc"),
]
