import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import LocalGroup, Principal
from followup import indicators, services
from followup.models import IndicatorYear, ManualFigure

PAST = timezone.localdate().year - 3


@pytest.fixture
def taby(db):
    return LocalGroup.objects.get(name="Täby")


@pytest.fixture
def fake_counts(monkeypatch, taby):
    """The portal's own records, as sip and deviations would report them."""
    counts = {
        "sip": {
            taby.pk: {
                "forum_cases": 4,
                "forum_escalated": 1,
                "sips_new": 3,
                "sips_active": 7,
                "sips_followed_up": 2,
            }
        },
        "deviations": {taby.pk: {"deviations": 5}},
    }
    # The same records in every year; followup reads the sources' multi-year form.
    monkeypatch.setattr(
        indicators.sip_indicators,
        "counts_by_year",
        lambda *, years: dict.fromkeys(years, counts["sip"]),
    )
    monkeypatch.setattr(
        indicators.deviation_indicators,
        "counts_by_year",
        lambda *, years: dict.fromkeys(years, counts["deviations"]),
    )
    return counts


def test_it_adds_manual_figures_to_the_portals_own(fake_counts, taby, chair):
    municipality = Principal.objects.get(name="Täby kommun")
    services.save_manual_figures(
        group=taby,
        year=PAST,
        principal=municipality,
        values={"forum_cases": 2, "deviations": None},
        note="Internt forum",
        user=chair,
    )

    figures = indicators.group_year(taby, PAST)

    assert figures.totals["forum_cases"] == 6
    assert figures.totals["deviations"] == 5
    assert figures.totals["sips_active"] == 7
    row = next(r for r in figures.rows if r.code == "forum_cases")
    assert (row.portal, row.manual) == (4, 2)
    assert figures.manual_figures[0].principal == municipality


def test_signing_off_freezes_the_figures_and_locks_the_year(fake_counts, taby, chair):
    services.sign_off_year(group=taby, year=PAST, user=chair)
    fake_counts["sip"][taby.pk]["forum_cases"] = 40  # records change after the sign-off

    figures = indicators.group_year(taby, PAST)

    assert figures.is_signed
    assert figures.totals["forum_cases"] == 4
    with pytest.raises(services.IndicatorLockedError):
        services.save_manual_figures(
            group=taby,
            year=PAST,
            principal=Principal.objects.get(name="Täby kommun"),
            values={"forum_cases": 1},
            note="",
            user=chair,
        )
    with pytest.raises(services.IndicatorLockedError):
        services.sign_off_year(group=taby, year=PAST, user=chair)


def test_the_current_year_cannot_be_signed_off(fake_counts, taby, chair):
    with pytest.raises(services.IndicatorLockedError):
        services.sign_off_year(group=taby, year=timezone.localdate().year, user=chair)


def test_the_chair_enters_figures_for_the_own_principal_and_signs_off(
    fake_counts, taby, chair_client
):
    chair_client.post(
        reverse("followup:indicator_manual", kwargs={"group": taby.pk, "year": PAST}),
        {"forum_cases": "3", "note": "Före portalen"},
    )
    figure = ManualFigure.objects.get(indicator_year__group=taby, indicator_year__year=PAST)
    assert (figure.principal.name, figure.value) == ("Täby kommun", 3)

    chair_client.post(
        reverse("followup:indicator_signoff", kwargs={"group": taby.pk, "year": PAST})
    )

    year = IndicatorYear.objects.get(group=taby, year=PAST)
    assert year.status == IndicatorYear.Status.SIGNED
    assert year.recorded["forum_cases"] == 4


def test_the_county_dashboard_sums_the_groups(fake_counts, taby, bussam_client):
    response = bussam_client.get(reverse("followup:county_dashboard"), {"group": taby.pk})

    series = response.context["county_series"]
    label = str(dict(indicators.Indicator.choices)["deviations"])
    # This year: only the faked records count (the demo's signed and manual figures are earlier).
    assert series[label][-1] == 5
    assert response.context["group_series"][label][-1] == 5
    assert response.context["selected_group"] == taby
    assert "<svg" in response.context["group_chart"]


def test_the_real_sip_and_deviation_counts_feed_the_indicators(taby):
    """Integration with the real sip.indicators and deviations.indicators (no monkeypatching)."""
    from deviations.indicators import yearly_counts as deviation_counts
    from sip.indicators import yearly_counts as sip_counts

    year = timezone.localdate().year
    merged = indicators.portal_counts(year=year)
    for group_id, counts in sip_counts(year=year).items():
        for key, value in counts.items():
            assert merged[group_id][key] == value
    for group_id, counts in deviation_counts(year=year).items():
        assert merged[group_id]["deviations"] == counts["deviations"]
    figures = indicators.group_year(taby, year)
    assert set(figures.totals) == set(indicators.CODES)


def test_the_indicator_list_has_a_constant_number_of_queries(fake_counts, bussam_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("followup:indicator_list")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert bussam_client.get(url).status_code == 200
        return len(queries)

    count()
    few = count()
    region = Principal.objects.get(name="Region Stockholm")
    year = timezone.localdate().year - 1
    for group in LocalGroup.objects.order_by("pk")[:10]:
        indicator_year = IndicatorYear.objects.create(group=group, year=year)
        ManualFigure.objects.create(
            indicator_year=indicator_year, principal=region, indicator="deviations", value=2
        )
    assert count() == few


def test_the_year_guards_lock_after_sign_off_and_wait_for_the_year_to_end(taby):
    current = IndicatorYear(group=taby, year=timezone.localdate().year)
    signed = IndicatorYear(group=taby, year=PAST, status=IndicatorYear.Status.SIGNED)

    assert current.can_change() and not current.can_sign()
    assert not signed.can_change() and not signed.can_sign()
    assert IndicatorYear(group=taby, year=PAST).can_sign()
    assert len(signed.missing_for_signing()) == 1


def test_only_the_chair_signs_off(fake_counts, taby, chair_client, secretariat_client):
    url = reverse("followup:indicator_signoff", kwargs={"group": taby.pk, "year": PAST})

    assert secretariat_client.get(url).status_code == 403
    assert chair_client.get(url).status_code == 200
    assert not IndicatorYear.objects.filter(group=taby, year=PAST, status="signed").exists()
