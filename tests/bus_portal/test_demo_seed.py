import io

from django.apps import apps
from django.core.management import call_command

from agreements.models import Area, LocalGroup


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"bus_portal", "agreements", "sip", "deviations", "followup"}
        and model._meta.label != "bus_portal.AuditEvent"
    }


def test_seeding_the_demo_county_twice_changes_nothing(db):
    before = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def test_the_demo_county_has_33_groups_and_the_districts_history(db):
    assert LocalGroup.objects.count() == 33
    assert Area.objects.filter(kind="municipality").count() == 26
    import datetime

    districts_2019 = Area.objects.valid_on(datetime.date(2019, 6, 1)).filter(kind="district")
    districts_2020 = Area.objects.valid_on(datetime.date(2020, 6, 1)).filter(kind="district")
    assert districts_2019.count() == 14
    assert districts_2020.count() == 13
    assert districts_2020.filter(name="Hägersten-Älvsjö").exists()
    assert not districts_2019.filter(name="Hägersten-Älvsjö").exists()


def test_shared_groups_cover_several_areas(db):
    assert set(
        LocalGroup.objects.get(name="Järfälla/Upplands-Bro").areas.values_list("name", flat=True)
    ) == {
        "Järfälla",
        "Upplands-Bro",
    }


def test_seed_demo_prints_the_logins(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "officer" in out.getvalue() and "bus-demo-2026" in out.getvalue()
