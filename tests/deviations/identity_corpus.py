"""How people really write identity numbers, and numbers that only look like them.

``WRITINGS`` are the ways a personnummer or samordningsnummer reaches a report (typed, pasted
from Word or Outlook, from a PDF, on a phone); ``identity_corpus()`` applies each to the test
numbers. ``harmless_corpus()`` holds numbers that must pass: the same writings with a wrong
checksum, phone numbers, dates, postcodes, amounts, case and organisation numbers.

Every identity number here is fictional: Skatteverket's published test personnummer (its open
"testpersonnummer" data set) and the samordningsnummer made from them (day + 60, check digit
recomputed).
"""

from __future__ import annotations

from collections.abc import Callable

from stdnum import luhn

# Skatteverket's test personnummer, 12 digits.
TEST_NUMBERS = [
    "201701012393",
    "201701102384",
    "200809032386",
    "198107249289",
    "194510168885",
    "190910199827",
    "191006089807",
    "189102279800",
]

FULL_WIDTH = str.maketrans("0123456789-+", "０１２３４５６７８９－＋")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def coordination(number12: str) -> str:
    """The samordningsnummer for the same date: day + 60, with a recomputed check digit."""
    day = int(number12[6:8]) + 60
    body = f"{number12[:6]}{day:02d}{number12[8:11]}"
    return body + luhn.calc_check_digit(body[2:])


def wrong_checksum(number12: str) -> str:
    return number12[:-1] + str((int(number12[-1]) + 1) % 10)


Writing = Callable[[str], str]


def _parts(n: str) -> tuple[str, str, str, str, str, str, str]:
    """century, year, month, day, serial, 6-digit date, 8-digit date."""
    return n[:2], n[2:4], n[4:6], n[6:8], n[8:], n[2:8], n[:8]


def _w(template: str) -> Writing:
    def write(n: str) -> str:
        c, y, m, d, s, d6, d8 = _parts(n)
        return template.format(c=c, y=y, m=m, d=d, s=s, d6=d6, d8=d8, s1=s[:2], s2=s[2:])

    write.__name__ = template
    return write


# (name, writing). 10 and 12 digits; what Word, Outlook, browsers and phones make of them.
WRITINGS: list[tuple[str, Writing]] = [
    ("12 digits", _w("{d8}{s}")),
    ("12, hyphen", _w("{d8}-{s}")),
    ("12, space", _w("{d8} {s}")),
    ("12, spaced hyphen", _w("{d8} - {s}")),
    ("10 digits", _w("{d6}{s}")),
    ("10, hyphen", _w("{d6}-{s}")),
    ("10, space", _w("{d6} {s}")),
    ("10, plus (aged 100+)", _w("{d6}+{s}")),
    ("10, Enter in a browser (CR LF)", _w("{d6}\r\n{s}")),
    ("12, Enter (LF)", _w("{d8}\n{s}")),
    ("10, hyphen then Enter", _w("{d6}-\r\n{s}")),
    ("10, en dash (Word, Outlook)", _w("{d6}\u2013{s}")),
    ("12, en dash", _w("{d8}\u2013{s}")),
    ("10, spaced en dash", _w("{d6} \u2013 {s}")),
    ("10, em dash", _w("{d6}\u2014{s}")),
    ("10, minus sign", _w("{d6}\u2212{s}")),
    ("10, non-breaking hyphen", _w("{d6}\u2011{s}")),
    ("10, Unicode hyphen", _w("{d6}\u2010{s}")),
    ("10, figure dash", _w("{d6}\u2012{s}")),
    ("10, full-width hyphen", _w("{d6}\uff0d{s}")),
    ("10, small hyphen", _w("{d6}\ufe63{s}")),
    ("10, no-break space", _w("{d6}\u00a0{s}")),
    ("10, narrow no-break space", _w("{d6}\u202f{s}")),
    ("10, tab", _w("{d6}\t{s}")),
    ("10, thin spaces round an en dash", _w("{d6}\u2009\u2013\u2009{s}")),
    ("10, ideographic space", _w("{d6}\u3000{s}")),
    ("10, line separator", _w("{d6}\u2028{s}")),
    ("10, zero-width space", _w("{d6}\u200b-{s}")),
    ("10, soft hyphen", _w("{d6}\u00ad{s}")),
    ("10, grouped date", _w("{y} {m} {d}-{s}")),
    ("12, grouped date", _w("{c}{y} {m} {d}-{s}")),
    ("10, grouped date and serial", _w("{y} {m} {d} {s1} {s2}")),
    ("12, grouped in pairs", _w("{c} {y} {m} {d} - {s1} {s2}")),
    ("10, dotted date", _w("{y}.{m}.{d}-{s}")),
    ("12, dotted date", _w("{c}{y}.{m}.{d}-{s}")),
    ("10, dotted date with spaces", _w("{y}. {m}. {d} - {s}")),
    ("12, ISO date and hyphen", _w("{c}{y}-{m}-{d}-{s}")),
    ("12, ISO date and space", _w("{c}{y}-{m}-{d} {s}")),
    ("12, ISO date, Enter", _w("{c}{y}-{m}-{d}\r\n{s}")),
    ("10, slashed date", _w("{y}/{m}/{d}-{s}")),
    ("10, split serial", _w("{d6}-{s1} {s2}")),
    ("12, split serial", _w("{d8}-{s1} {s2}")),
    ("12, serial split 3+1", lambda n: f"{n[:8]}-{n[8:11]} {n[11]}"),
    ("in parentheses", _w("({d6}-{s})")),
    ("after a colon", _w("pnr:{d8}{s}")),
    ("at the end of a sentence", _w("{d6}-{s}.")),
]
WRITINGS += [
    ("10, full-width digits", lambda n: f"{n[2:8]}-{n[8:]}".translate(FULL_WIDTH)),
    ("12, full-width digits", lambda n: f"{n[:8]}-{n[8:]}".translate(FULL_WIDTH)),
    ("10, Arabic-Indic digits", lambda n: f"{n[2:8]}-{n[8:]}".translate(ARABIC_INDIC)),
]


def _sentences(written: str) -> list[str]:
    return [f"Eleven {written} fick vänta.", f"{written} har flyttat.", f"Gäller\n{written}"]


def identity_corpus() -> list[tuple[str, str, str]]:
    """(writing, kind, text) for every writing of every test number and its samordningsnummer."""
    corpus = []
    for number in TEST_NUMBERS:
        for kind, n in (("personnummer", number), ("samordningsnummer", coordination(number))):
            for name, write in WRITINGS:
                for text in _sentences(write(n)):
                    corpus.append((name, kind, text))
    return corpus


# Numbers in reports that are not identity numbers, as people write them.
HARMLESS_TEXTS = [
    # phone numbers
    "Ring 08-123 456 78 för att boka.",
    "Mobil 070-123 45 67, växel 08-555 000 00.",
    "Nås på 0701234567 dagtid.",
    "Telefon: 070 123 45 67.",
    "+46 70 123 45 67 (jourtelefon)",
    "Telefontid 031-123 45 67 mellan 9 och 11.",
    "Ring 0771-23 45 67.",
    "BUP:s mottagning 08-514 500 00",
    # dates and times
    "Mötet hölls 2026-03-10 och följdes upp 2026-04-14.",
    "Perioden 2026-03-10–2026-04-10 saknades samordning.",
    "Väntetid 2025-11-03 – 2026-02-27.",
    "SIP-möte 10/3 2026 kl. 13.30.",
    "Den 5 mars 2026 skickades remissen.",
    "Remissen kom 20260310 och avvisades 20260317.",
    "Mötet 2026-03-10 kl 13:30–15:00.",
    "Läsåret 2025/2026, vecka 12.",
    "Beslut 2026-01-15, överklagat 2026-02-02.",
    # postcodes and addresses
    "Mottagningen ligger på Box 123, 183 22 Täby.",
    "Postnummer 18330.",
    "Skolan, Storgatan 12, 114 55 Stockholm.",
    # amounts
    "Kostnaden var 12 000 kr per månad.",
    "Totalt 1 250 000 kronor för insatsen.",
    "Fakturan på 12.500,50 kr betalades inte.",
    "Ersättning 123 456 kr, därav moms 24 691 kr.",
    # case, registry and organisation numbers
    "Dnr 2026/1234 hos socialtjänsten.",
    "Diarienummer KS 2025/0345.",
    "Ärende SN 2026/123-45.",
    "Vårt ärendenummer 2026-00123.",
    "Remiss BUP-2026-0456 returnerades.",
    "Se tidigare avvikelse AV-00012.",
    "Täby kommun, org.nr 212000-0142.",
    "Region Stockholm, org.nr 232100-0016.",
    "Bankgiro 5050-1055.",
    "IBAN SE45 5000 0000 0583 9825 7466.",
    # counts and other numbers
    "120 elever i årskurs 6, 14 av dem väntade.",
    "Åren 2024 och 2025 skedde samma sak 12 gånger.",
    "Ett ogiltigt datum 991332-1234 i ett formulär.",
    "Löpnummer 12019121212121299.",
    "Version 2.3.15.1024 av journalsystemet.",
    "Kö-nummer 14 03 05 i väntelistan.",
]


def harmless_corpus() -> list[tuple[str, str]]:
    """(what, text): the writings with a wrong checksum, and ordinary numbers."""
    corpus = []
    for number in TEST_NUMBERS:
        for n in (wrong_checksum(number), wrong_checksum(coordination(number))):
            for name, write in WRITINGS:
                corpus.append((f"wrong checksum, {name}", f"Ärende {write(n)} hos BUP."))
    corpus += [("ordinary number", text) for text in HARMLESS_TEXTS]
    return corpus
