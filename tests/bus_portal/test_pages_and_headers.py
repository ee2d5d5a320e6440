from django.test import override_settings
from django.urls import reverse


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_checks_the_database(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_pages_carry_a_nonce_csp_without_unsafe_inline(officer_client):
    response = officer_client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_logged_in_pages_are_not_stored_by_browsers(officer_client):
    response = officer_client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_the_start_page_is_swedish_by_default(officer_client):
    response = officer_client.get(reverse("home"))
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Logga ut" in html
    assert "Hoppa till innehållet" in html


def test_the_user_can_switch_to_english(officer_client):
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = officer_client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html


def test_unknown_pages_get_the_swedish_404(officer_client):
    with override_settings(DEBUG=False):
        response = officer_client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_the_unit_chief_access_log_lists_events_on_their_units_records(chief_client):
    response = chief_client.get(reverse("access_log"))
    assert response.status_code == 200


def test_static_assets_are_vendored_not_from_a_cdn(officer_client):
    html = officer_client.get(reverse("home")).content.decode()
    assert "cdn" not in html.lower()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_only_the_most_specific_menu_link_is_current(rf, officer, monkeypatch):
    from bus_portal.context_processors import portal_context
    from bus_portal.registry import NavLink, portal

    request = rf.get("/sip/individforum/3/")
    request.user = officer
    monkeypatch.setattr(portal, "nav_providers", [(1, two_links)])
    links = portal_context(request)["nav_links"]
    assert [link.active for link in links] == [False, True]
    assert isinstance(links[0], NavLink)


def two_links(user):
    from bus_portal.registry import NavLink

    return [NavLink("/sip/", "SIP"), NavLink("/sip/individforum/", "Individforum")]


def test_an_english_browser_still_gets_swedish_until_the_user_switches(officer_client):
    html = officer_client.get(
        reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="sv">' in html
