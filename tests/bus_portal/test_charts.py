import re

from bus_portal.charts import bar_chart, line_chart


def test_chart_text_stays_text():
    svg = bar_chart(["Skola", "BUP"], [3, 5], title="Avvikelser per verksamhet")
    assert svg.startswith("<svg")
    assert "Avvikelser per verksamhet" in svg
    assert "Skola" in svg


def test_two_charts_on_one_page_never_share_an_id():
    first = bar_chart(["A"], [1], title="Ett")
    second = line_chart(["2024", "2025"], {"A": [1, 2]}, title="Två")
    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_second = set(re.findall(r'id="([^"]+)"', second))
    assert ids_first and ids_second
    assert not ids_first & ids_second


def test_charts_use_no_inline_styles_that_the_csp_would_block():
    svg = bar_chart(["Skola", "BUP"], [3, 5], title="Avvikelser")
    assert "style=" not in svg
    assert "<style" not in svg
    assert 'fill="#0072b2"' in svg
    assert "font-family=\"'DejaVu Sans'\"" in svg


def test_the_same_figures_are_drawn_once_and_served_as_cached(monkeypatch):
    from bus_portal import charts

    calls = []
    original = charts._to_svg
    monkeypatch.setattr(charts, "_to_svg", lambda fig: calls.append(1) or original(fig))
    first = bar_chart(["Cachad"], [7], title="Samma siffror")
    second = bar_chart(["Cachad"], [7], title="Samma siffror")
    assert len(calls) == 1
    assert first == second  # the ids are made unique per figures, once, before caching
    other = bar_chart(["Cachad"], [8], title="Samma siffror")
    assert set(re.findall(r'id="([^"]+)"', first)).isdisjoint(re.findall(r'id="([^"]+)"', other))
