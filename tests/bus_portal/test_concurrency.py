"""The three-way merge behind every "someone else saved this" page."""

from __future__ import annotations

from bus_portal.concurrency import ABSENT, sign_state, three_way, unsign_state

BASE = {"question": "Gammal fråga", "goals": "Mål", "measures:1": {"d": "Samtal"}}


def test_changes_to_different_fields_are_both_kept():
    theirs = {**BASE, "question": "Deras fråga"}
    yours = {**BASE, "goals": "Mina mål"}
    merge = three_way(BASE, theirs, yours)
    assert merge.state == {**BASE, "question": "Deras fråga", "goals": "Mina mål"}
    assert [c.key for c in merge.theirs] == ["question"]
    assert [c.key for c in merge.yours] == ["goals"]
    assert merge.conflicts == []


def test_a_field_both_changed_is_a_conflict_holding_your_value():
    merge = three_way(BASE, {**BASE, "question": "Deras"}, {**BASE, "question": "Min"})
    assert merge.state["question"] == "Min"
    (conflict,) = merge.conflicts
    assert (conflict.base, conflict.theirs, conflict.yours) == ("Gammal fråga", "Deras", "Min")


def test_the_same_change_by_both_is_no_conflict():
    merge = three_way(BASE, {**BASE, "question": "Samma"}, {**BASE, "question": "Samma"})
    assert merge.conflicts == [] and merge.state["question"] == "Samma"


def test_rows_added_and_removed_on_either_side():
    theirs = {**BASE, "measures:2": {"d": "Deras nya"}}
    yours = {k: v for k, v in BASE.items() if k != "measures:1"} | {"measures:new1": {"d": "Min"}}
    merge = three_way(BASE, theirs, yours)
    # Their new row stays, my removal and my new row apply.
    assert "measures:2" in merge.state and "measures:new1" in merge.state
    assert "measures:1" not in merge.state
    # They removed a row I changed: a conflict, and my row comes back.
    theirs = {k: v for k, v in BASE.items() if k != "measures:1"}
    yours = {**BASE, "measures:1": {"d": "Ändrad"}}
    merge = three_way(BASE, theirs, yours)
    assert merge.state["measures:1"] == {"d": "Ändrad"}
    assert merge.conflicts[0].theirs is ABSENT


def test_without_a_base_every_difference_is_shown_and_nothing_is_dropped_silently():
    theirs = {**BASE, "question": "Deras"}
    yours = {**BASE, "goals": "Mina"}
    merge = three_way(None, theirs, yours)
    assert {c.key for c in merge.conflicts} == {"question", "goals"}
    assert merge.state["question"] == "Gammal fråga"  # my input, shown beside theirs


def test_a_signed_state_cannot_be_altered_or_used_elsewhere():
    text = sign_state(BASE, salt="plan:1")
    assert unsign_state(text, salt="plan:1") == BASE
    assert unsign_state(text, salt="plan:2") is None
    assert unsign_state(text[:-2] + "xx", salt="plan:1") is None
    assert unsign_state("", salt="plan:1") is None
