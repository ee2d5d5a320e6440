import datetime

import pytest

from sip.identity import InvalidIdentityNumber, is_valid, parse

# Skatteverket's published test numbers and Luhn-valid numbers from its 98xx test series.
VALID = [
    ("19121212-1212", "191212121212"),
    ("121212-1212", "201212121212"),
    ("191212121212", "191212121212"),
    ("20080808-9809", "200808089809"),
    ("20120315-9817", "201203159817"),
    ("1203159817", "201203159817"),
]


@pytest.mark.parametrize(("typed", "stored"), VALID)
def test_it_accepts_test_personnummer_in_every_form(typed, stored):
    assert parse(typed).digits == stored


def test_it_reads_plus_as_a_hundred_years_or_more():
    assert parse("121212+1212").birth_date == datetime.date(1912, 12, 12)


def test_it_accepts_a_samordningsnummer_with_day_plus_sixty():
    number = parse("20170790-9840")
    assert number.is_coordination_number
    assert number.birth_date == datetime.date(2017, 7, 30)
    assert number.digits == "201707909840"


@pytest.mark.parametrize(
    "typed",
    ["19121212-1213", "20120315-9818", "20171390-9840", "201702309840", "abc", "", "1212121212121"],
)
def test_it_rejects_wrong_checksum_dates_and_garbage(typed):
    with pytest.raises(InvalidIdentityNumber):
        parse(typed)
    assert not is_valid(typed)


def test_it_rejects_a_birth_date_in_the_future():
    with pytest.raises(InvalidIdentityNumber):
        parse("20120315-9817", today=datetime.date(2012, 3, 1))
