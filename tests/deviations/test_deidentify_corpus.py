"""De-identification against real-world writings (tests/deviations/identity_corpus.py).

Every way people write a personnummer or samordningsnummer is refused, in the text of every
form; no harmless number is. The figures (refused/total) are printed with ``-s``.
"""

from __future__ import annotations

import pytest

from deviations import deidentify
from deviations.forms import refuse_identity_numbers
from tests.deviations.identity_corpus import (
    HARMLESS_TEXTS,
    TEST_NUMBERS,
    WRITINGS,
    coordination,
    harmless_corpus,
    identity_corpus,
)


def test_the_corpus_covers_at_least_forty_writings_of_both_lengths():
    assert len(WRITINGS) >= 40
    written = [write(TEST_NUMBERS[0]) for _name, write in WRITINGS]
    digits = ["".join(ch for ch in w if ch.isdigit() and ch.isascii()) for w in written]
    assert {len(d) for d in digits} >= {10, 12}
    assert len(HARMLESS_TEXTS) >= 30


def test_every_writing_of_every_test_number_is_refused_and_no_harmless_one_is(capsys):
    corpus = identity_corpus()
    refused = [text for _name, kind, text in corpus if deidentify.find_identity_numbers(text)]
    harmless = harmless_corpus()
    false_alarms = [
        (what, text) for what, text in harmless if deidentify.find_identity_numbers(text)
    ]
    with capsys.disabled():
        print(
            f"\nidentity numbers refused: {len(refused)}/{len(corpus)}; "
            f"harmless numbers refused: {len(false_alarms)}/{len(harmless)}"
        )
    assert len(refused) == len(corpus)
    assert false_alarms == []


@pytest.mark.parametrize(("name", "write"), WRITINGS, ids=[name for name, _w in WRITINGS])
def test_each_writing_is_found_with_its_kind_and_its_whole_span(name, write):
    for number in TEST_NUMBERS:
        for kind, n in (("personnummer", number), ("samordningsnummer", coordination(number))):
            written = write(n)
            text = f"Eleven {written} fick vänta."
            (hit,) = deidentify.find_identity_numbers(text)
            assert hit.kind == kind, (name, written)
            # The span is the number: its digits, nothing of the words around it.
            found = deidentify.normalise(text[hit.start : hit.end]).text
            assert "".join(ch for ch in found if ch.isdigit()) in (n, n[2:]), (name, written)
            assert found[0].isdigit() and found[-1].isdigit()


@pytest.mark.parametrize(
    ("what", "text"), harmless_corpus()[::7] + [("", t) for t in HARMLESS_TEXTS]
)
def test_harmless_numbers_pass_the_form(what, text):
    assert refuse_identity_numbers(text) == text
