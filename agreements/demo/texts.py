"""Swedish demo text for agreements (fictional, inspired by the public seeds). Data, not UI."""

COUNTY_SECTIONS = [
    (
        "purpose",
        "Syfte och mål",
        "BUS-överenskommelsen ska i huvudsak vara ett stöd till ledningen och cheferna inom "
        "kommunernas och regionens förvaltningar och verksamheter. Den tydliggör gemensamma "
        "utgångspunkter för samverkan, chefernas ansvar för en fungerande samverkan, strukturer för "
        "samverkan på lokal och regional nivå samt uppföljning av samverkan.",
    ),
    (
        "organisation",
        "Struktur för samverkan",
        "Presidiegruppen beslutar om uppdrag. BUSSAM, länets chefstjänstemannagrupp, leder och "
        "följer upp arbetet med stöd av BUS-sekretariatet. Lokalt finns en BUS-grupp i varje kommun "
        "eller stadsdelsområde med en lokal överenskommelse.",
    ),
    (
        "follow_up",
        "Uppföljning",
        "BUSSAM följer upp länets samverkan, till exempel lokala samverkansgrupper, överenskommelser "
        "kring målgrupper, rutiner för samordnade individuella planer och behov och brister i "
        "samverkan.",
    ),
    (
        "deviations",
        "Avvikelserapportering",
        "Avvikelser som inte går att lösa lokalt och som är av principiell natur rapporteras till "
        "BUSSAM med kopia till BUS-sekretariatet. Sekretariatet sammanställer och analyserar dem årligen.",
    ),
]

STANDARD_SECTIONS = [
    (
        "purpose",
        "Syfte",
        "Överenskommelsen ska tydliggöra ansvaret mellan huvudmännen och beskriva hur vi samverkar "
        "så att barn och unga i behov av särskilt stöd får de insatser de behöver och har rätt till.",
    ),
    (
        "target_group",
        "Målgrupp",
        "Barn och unga under 18 år som behöver särskilt stöd från förskola, skola eller "
        "socialtjänst och samtidigt från hälso- och sjukvården.",
    ),
    (
        "organisation",
        "Samverkansorganisation",
        "Samverkan sker i en lokal styrgrupp med chefer med mandat, en arbetsgrupp med fasta "
        "representanter och BUS individforum som sammankallas vid behov. Styrgruppen och "
        "arbetsgruppen träffas minst en gång per termin. Ordförande och sammankallande alternerar "
        "mellan huvudmännen beroende på mötets plats.",
    ),
    (
        "follow_up",
        "Uppföljning",
        "Den lokala styrgruppen följer upp överenskommelsen årligen. Varje huvudman sammanställer "
        "sina uppgifter: antal ärenden i BUS individforum, ärenden som lyfts till styrgruppen, "
        "avvikelser och samordnade individuella planer.",
    ),
]

# Norrtälje: five revisions 2009–2024; each entry: (title, adopted, decision body, dnr, sections).
NORRTALJE_REVISIONS = [
    (
        "Ursprunglig överenskommelse",
        "2009-12-18",
        "Lokal styrgrupp för BUS-samverkan",
        "BUS 2009/14",
        {
            "purpose": "Att samordna kommunens och landstingets insatser för barn och ungdomar som "
            "behöver särskilt stöd.",
            "target_group": "Barn och ungdomar 0–18 år i Norrtälje kommun med behov av insatser "
            "från både kommun och landsting.",
            "organisation": "En styrgrupp med chefer från socialförvaltningen, barn- och "
            "utbildningsförvaltningen och landstingets verksamheter. Styrgruppen träffas två gånger "
            "per år.",
            "follow_up": "Överenskommelsen följs upp efter två år.",
        },
    ),
    (
        "Revision maj 2012",
        "2012-05-24",
        "Lokal styrgrupp för BUS-samverkan",
        "BUS 2012/03",
        {
            "purpose": "Att samordna kommunens och landstingets insatser för barn och ungdomar som "
            "behöver särskilt stöd, i enlighet med den länsövergripande BUS-överenskommelsen 2012.",
            "target_group": "Barn och ungdomar 0–18 år i Norrtälje kommun med behov av insatser "
            "från både kommun och landsting.",
            "organisation": "En styrgrupp med chefer från socialförvaltningen, barn- och "
            "utbildningsförvaltningen och landstingets verksamheter samt en arbetsgrupp. "
            "Styrgruppen träffas minst en gång per termin.",
            "follow_up": "Styrgruppen följer upp överenskommelsen årligen.",
        },
    ),
    (
        "Revision februari 2014",
        "2014-02-13",
        "Direktionen för kommunalförbundet",
        "KSON 2014/021",
        {
            "purpose": "Att tydliggöra ansvarsfördelningen och samordna insatserna för barn och "
            "ungdomar som behöver särskilt stöd, i enlighet med BUS-överenskommelsen 2012.",
            "target_group": "Barn och ungdomar 0–18 år folkbokförda i Norrtälje kommun med behov av "
            "insatser från både kommun och landsting.",
            "organisation": "En lokal styrgrupp, en arbetsgrupp och BUS individforum för enskilda "
            "ärenden. Styrgruppen och arbetsgruppen träffas minst en gång per termin.",
            "follow_up": "Styrgruppen följer upp överenskommelsen årligen och rapporterar till "
            "förvaltningscheferna.",
        },
    ),
    (
        "Revision februari 2021",
        "2021-02-18",
        "Direktionen för kommunalförbundet",
        "KSON 2021/007",
        {
            "purpose": "Att tydliggöra ansvarsfördelningen och samverka för att på bästa sätt ta "
            "tillvara kommunens och regionens resurser och kompetenser så att barn och unga i behov "
            "av särskilt stöd får de insatser de behöver.",
            "target_group": "Barn och unga 0–18 år folkbokförda i Norrtälje kommun i behov av "
            "särskilt stöd, och deras anhöriga.",
            "organisation": "En lokal styrgrupp, en arbetsgrupp och BUS individforum för enskilda "
            "ärenden. Styrgruppen och arbetsgruppen träffas minst en gång per termin. Samordnad "
            "individuell plan (SIP) används när flera huvudmän ger insatser.",
            "follow_up": "Styrgruppen följer upp överenskommelsen årligen och rapporterar till "
            "förvaltningscheferna.",
        },
    ),
    (
        "Revision november 2024",
        "2024-11-21",
        "Direktionen för kommunalförbundet",
        "KSON 2024/112",
        {
            "purpose": "Att tydliggöra ansvarsfördelningen och samverka för att på bästa sätt ta "
            "tillvara resurser och kompetenser så att barn och unga folkbokförda i Norrtälje kommun "
            "i behov av särskilt stöd och deras anhöriga får de insatser de behöver och har rätt "
            "till. Att möjliggöra långsiktigt hållbara lösningar så att rätt insats ges till rätt "
            "person vid rätt tidpunkt.",
            "target_group": "Barn och unga 0–18 år folkbokförda i Norrtälje kommun i behov av "
            "särskilt stöd, och deras anhöriga.",
            "organisation": "En lokal styrgrupp, en arbetsgrupp och BUS individforum för enskilda "
            "ärenden. Arbetsformerna för styr- och arbetsgrupperna är förtydligade. Styrgruppen "
            "återrapporterar till förvaltningsdirektörerna en gång per år. Samverkan på länsnivå "
            "sker genom BUSSAM.",
            "follow_up": "Styrgruppen följer upp överenskommelsen årligen och kompletterar den med "
            "en lokal BUS-plan med mål och aktiviteter.",
        },
    ),
]

NYNASHAMN_SECTIONS = [
    (
        "purpose",
        "Bakgrund och syfte",
        "Syftet är att utveckla samarbetet och tydliggöra verksamheternas ansvar så att gemensamma "
        "resurser tas till vara på bästa sätt.",
    ),
    (
        "goal",
        "Mål",
        "Alla barn och ungdomar som har behov av särskilt stöd ska få det och därmed ges möjlighet "
        "till god hälsa och goda livsvillkor.",
    ),
    (
        "organisation",
        "Samverkansorganisation",
        "Kommunens interna forum och regionens interna forum samordnar respektive huvudmans resurser. "
        "Cheferna i de båda forumen bildar en gemensam styrgrupp. Handläggargruppen arbetar fram "
        "skriftliga rutiner och diskuterar lösningar i enskilda ärenden. Styrgruppen och "
        "handläggargruppen träffas minst tre gånger per termin.",
    ),
    (
        "follow_up",
        "Uppföljning",
        "Parterna följer gemensamt upp samverkansavtalet varje år.",
    ),
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Johan",
    "Karin",
    "Lars",
    "Sofia",
    "Mikael",
    "Eva",
    "Andreas",
    "Helena",
    "Fredrik",
    "Linnea",
    "Henrik",
    "Ida",
    "Magnus",
    "Camilla",
    "Niklas",
    "Therese",
    "Patrik",
    "Malin",
    "Oskar",
    "Jenny",
    "Daniel",
    "Åsa",
    "Rickard",
    "Ylva",
    "Tobias",
]
LAST_NAMES = [
    "Bergqvist",
    "Lindholm",
    "Sandström",
    "Ekvall",
    "Holmberg",
    "Nordin",
    "Wallin",
    "Hedlund",
    "Forsberg",
    "Sundqvist",
    "Åberg",
    "Lundmark",
    "Engström",
    "Blom",
    "Östlund",
    "Granlund",
    "Fagerberg",
    "Strömqvist",
    "Lövgren",
    "Rydén",
    "Sjöberg",
    "Almqvist",
    "Hellström",
]


def person(index: int) -> str:
    """A deterministic fictional name."""
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"
