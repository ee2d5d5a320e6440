"""Chart text is what users wrote: no mathtext, and numbers written the Swedish way."""

from __future__ import annotations

from bus_portal.charts import bar_chart, grouped_bar_chart, line_chart


def test_dollar_signs_and_backslashes_are_drawn_literally():
    svg = bar_chart(["Test $\\foo$", "$100 och $200"], [1, 2], title="Kategorier $x$")
    assert "Test $\\foo$" in svg
    assert "$100 och $200" in svg
    assert "Kategorier $x$" in svg


def test_values_and_axes_use_a_decimal_comma():
    svg = bar_chart(["A", "B"], [17.5, 2.25], title="Andel")
    # Text nodes only (path coordinates have decimal points).
    assert ">17,5<" in svg and ">2,25<" in svg and ">17.5<" not in svg
    grouped = grouped_bar_chart(["A"], {"2025": [0.5]}, title="År")
    assert ">0,5<" in grouped and ">0.5<" not in grouped
    trend = line_chart(["2024", "2025"], {"Andel": [1.5, 2.5]}, title="Trend")
    assert ">1,6<" in trend and ">1.6<" not in trend  # the axis ticks


def test_long_category_names_wrap_onto_several_lines():
    name = "Samverkan mellan skola och socialtjänst kring placerade barn"
    svg = bar_chart([name, "Kort"], [3, 1], title="Kategorier")
    # The name is split into lines (SVG text elements), none of them the whole name.
    assert name not in svg
    assert "Samverkan mellan skola och" in svg
    vertical = grouped_bar_chart([name], {"2025": [1]}, title="År")
    assert name not in vertical and "Samverkan" in vertical
