"""De-identification: identity numbers refused in every written form, names and dates warned."""

import pytest
from stdnum import luhn

from deviations import deidentify

# Test personnummer published by Skatteverket (its open "testpersonnummer" data set), 12 digits.
SKATTEVERKET_TEST_NUMBERS = [
    "201701012393",
    "201701102384",
    "200809032386",
    "198107249289",
    "194510168885",
    "190910199827",
    "191006089807",
    "189102279800",
]


def _forms(number12: str) -> list[str]:
    """Every common way of writing a 12-digit number (and its 10-digit short form)."""
    full_date, serial = number12[:8], number12[8:]
    short = full_date[2:]
    return [
        number12,
        f"{full_date}-{serial}",
        f"{full_date} {serial}",
        f"{full_date} - {serial}",
        f"{short}{serial}",
        f"{short}-{serial}",
        f"{short} {serial}",
        f"{short}+{serial}",
    ]


def _coordination(number12: str) -> str:
    """The samordningsnummer for the same date: day + 60, with a recomputed check digit."""
    day = int(number12[6:8]) + 60
    body = f"{number12[:6]}{day:02d}{number12[8:11]}"
    return body + luhn.calc_check_digit(body[2:])


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_the_published_test_numbers_pass_luhn(number):
    assert luhn.is_valid(number[2:])


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_it_finds_a_personnummer_in_every_common_form(number):
    for written in _forms(number):
        text = f"Eleven med nummer {written} fick vänta."
        found = deidentify.find_identity_numbers(text)
        assert [hit.kind for hit in found] == ["personnummer"], written
        assert text[found[0].start : found[0].end].replace(" ", "").replace("-", "").replace(
            "+", ""
        ) in (number, number[2:])


def test_stdnum_alone_misses_samordningsnummer_so_we_check_them():
    from stdnum.se import personnummer

    number = _coordination(SKATTEVERKET_TEST_NUMBERS[0])
    assert luhn.is_valid(number[2:])
    assert not personnummer.is_valid(number)  # day 61 is no calendar date to stdnum
    assert [h.kind for h in deidentify.find_identity_numbers(number)] == ["samordningsnummer"]


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_it_finds_a_samordningsnummer_in_every_common_form(number):
    coordination = _coordination(number)
    for written in _forms(coordination):
        found = deidentify.find_identity_numbers(f"Se {written}.")
        assert [hit.kind for hit in found] == ["samordningsnummer"], written


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_numbers_failing_the_checksum_are_allowed(number):
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not luhn.is_valid(wrong[2:])
    for written in _forms(wrong):
        assert deidentify.find_identity_numbers(f"Ärende {written}") == [], written


def test_ordinary_numbers_are_allowed():
    text = "Ring 08-123 456 78 eller 0701234567. Dnr 2026/1234. Kostnad 12000 kr."
    assert deidentify.find_identity_numbers(text) == []


def test_a_number_inside_a_longer_digit_run_is_not_a_candidate():
    assert deidentify.find_identity_numbers("12019121212121299") == []


def test_it_warns_on_likely_first_names():
    text = "Vi träffade Elsa och hennes bror Lukas. Alla var överens. Skolan i Täby."
    assert deidentify.likely_names(text) == ["Elsa", "Lukas"]


def test_it_does_not_warn_on_lowercase_words_or_places():
    assert deidentify.likely_names("elsa är inte versal, och Socialtjänsten i Nacka") == []


def test_it_warns_on_dates_of_birth():
    text = "Barnet är född 2014-03-05. Även 20140305 och född den 5 mars 2014."
    hits = deidentify.likely_birth_dates(text)
    assert "född 2014-03-05" in hits
    assert "20140305" in hits
    assert "född den 5 mars 2014" in hits


def test_the_first_name_list_ships_with_the_app():
    assert len(deidentify.first_names()) > 100
    assert "elsa" in deidentify.first_names()


PLACEHOLDERS = {"personnummer": "[pnr]", "samordningsnummer": "[snr]"}


def test_normalising_keeps_where_each_character_came_from():
    text = "Nr １４０３０５\r\n–\u00a02382."
    normalised = deidentify.normalise(text)
    assert normalised.text == "Nr 140305  - 2382."
    (hit,) = deidentify.find_identity_numbers(text)
    assert text[hit.start : hit.end] == "１４０３０５\r\n–\u00a02382"


def test_the_position_is_the_line_and_character_as_typed():
    text = "Första raden.\r\nEleven med nummer 140305\r\n2382 fick vänta."
    (hit,) = deidentify.find_identity_numbers(text)
    assert (hit.line, hit.column) == (2, 19)


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_the_excerpt_shows_the_words_around_the_number_never_its_digits(number):
    text = f"Mötet gällde eleven med nummer {number[:8]}-{number[8:]} som väntat sedan i våras."
    hits = deidentify.find_identity_numbers(text)
    shown = deidentify.excerpt(text, hits[0], hits, PLACEHOLDERS)
    assert "[pnr]" in shown
    assert "nummer" in shown and "väntat" in shown
    assert not any(ch.isdigit() for ch in shown)


def test_an_excerpt_hides_a_neighbouring_number_cut_by_its_window_too():
    first, second = SKATTEVERKET_TEST_NUMBERS[:2]
    text = f"{first} och {second}"
    hits = deidentify.find_identity_numbers(text)
    for hit in hits:
        assert deidentify.excerpt(text, hit, hits, PLACEHOLDERS, width=6) == "[pnr] och [pnr]"


def test_replacing_numbers_keeps_the_rest_of_the_text():
    text = "Eleven 170101–2393 och 19170101 2393, tel 08-123 456 78."
    assert (
        deidentify.replace_identity_numbers(text, "[borttaget]")
        == "Eleven [borttaget] och [borttaget], tel 08-123 456 78."
    )


def test_a_date_range_is_not_a_number():
    # The date and the first four digits of the next date would pass the checksum on their own.
    assert deidentify.find_identity_numbers("2026-03-10–2026-04-10") == []
    assert deidentify.find_identity_numbers("2026-03-10 1300-1500") == []


def test_ten_thousand_characters_of_digits_and_separators_are_searched_quickly():
    import time

    started = time.monotonic()
    for text in ("1 " * 5000, "12-" * 3400, "١" * 10000, "2014-03-05 " * 900):
        deidentify.find_identity_numbers(text)
    assert time.monotonic() - started < 2
