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
