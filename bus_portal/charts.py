"""SVG charts by matplotlib that look the same on screen and in WeasyPrint PDFs.

Text stays text (``svg.fonttype = none``) so it is searchable, selectable and scales crisply.
Always show the numbers as a table next to a chart: the chart is never the only carrier.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from django.core.cache import cache  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "bus-portalen",  # stable ids, so the same data gives the same SVG
        # Labels are users' text ("$100 och $200", a category "Test $\\foo$"): never mathtext.
        "text.parse_math": False,
    }
)


def _wrapped(labels: list[str], width: int) -> list[str]:
    """Long category names on several lines, so neighbouring labels never overlap."""
    return [textwrap.fill(str(label), width=width, break_long_words=True) for label in labels]


def swedish_number(value: float, _position: object = None) -> str:
    """17.5 as "17,5", as the tables beside the charts write it."""
    return f"{value:g}".replace(".", ",").replace("-", "\u2212")


_SWEDISH = FuncFormatter(swedish_number)

# Colour-blind safe palette (Okabe-Ito) with AA contrast against white for bars.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)


def _presentation_attributes(match: re.Match) -> str:
    """CSP (style-src 'self') blocks inline style attributes, but not SVG presentation attributes,
    which carry the same properties; so move each declaration into an attribute."""
    attributes = []
    for declaration in match.group(1).split(";"):
        if ":" in declaration:
            name, value = (part.strip() for part in declaration.split(":", 1))
            attributes.append(f'{name}="{value.replace(chr(34), chr(39))}"')
    return " ".join(attributes)


_ID_REFERENCE = re.compile(r'(id="|url\(#|href="#)([^"()]+)')


def _to_svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog so it can be inlined in HTML
    svg = _STYLE_ELEMENT.sub("", svg)  # its line-join default moves onto the root element below
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    # Several charts on one page must not share ids (WCAG 4.1.1, and clip paths would collide).
    return svg


def _unique_ids(svg: str, prefix: str) -> str:
    return _ID_REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)


#: Part of every cached chart's key: bump it when the drawing changes, so no cache (Redis keeps
#: charts for a day) serves a chart drawn the old way after a deploy.
CHART_VERSION = 3


def cached_chart(render):
    """Drawing with matplotlib costs 100–300 ms a chart; the same figures give the same SVG,
    so keep it in the cache (per process, or Redis in production).

    Its ids are prefixed with the figures' hash once, before caching: charts with different
    figures never share an id on a page, and a cached chart is served as it is (renumbering
    thirty charts on every request cost the county dashboard about 10 ms)."""

    @functools.wraps(render)
    def wrapper(*args, **kwargs):
        payload = json.dumps(
            [CHART_VERSION, render.__name__, args, kwargs], sort_keys=True, default=str
        )
        digest = hashlib.sha256(payload.encode()).hexdigest()
        key = f"chart:{digest}"
        svg = cache.get(key)
        if svg is None:
            svg = _unique_ids(render(*args, **kwargs), prefix=f"c{digest[:12]}-")
            cache.set(key, svg, timeout=24 * 3600)
        return svg

    return wrapper


@cached_chart
def bar_chart(
    labels: list[str], values: list[float], *, title: str, xlabel: str = "", horizontal: bool = True
) -> str:
    """A single-series bar chart as an inline SVG string; each bar is labelled with its value."""
    wrapped = _wrapped(labels, 30)
    lines = sum(label.count("\n") for label in wrapped)  # extra lines of wrapped names
    height = max(1.8, 0.45 * len(labels) + 0.18 * lines + 0.8) if horizontal else 3.2
    fig, ax = plt.subplots(figsize=(6.4, height))
    if horizontal:
        bars = ax.barh(wrapped, values, color=PALETTE[0])
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_formatter(_SWEDISH)
    else:
        bars = ax.bar(_wrapped(labels, 12), values, color=PALETTE[0])
        ax.set_ylabel(xlabel)
        ax.yaxis.set_major_formatter(_SWEDISH)
    ax.bar_label(bars, padding=3, fmt=swedish_number)
    ax.set_title(title, loc="left")
    return _to_svg(fig)


@cached_chart
def grouped_bar_chart(
    labels: list[str], series: dict[str, list[float]], *, title: str, ylabel: str = ""
) -> str:
    """Several series side by side (e.g. one per year) for the same categories."""
    n = max(len(series), 1)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    positions = range(len(labels))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p + (index - (n - 1) / 2) * width for p in positions]
        bars = ax.bar(offsets, values, width=width, label=name, color=PALETTE[index % len(PALETTE)])
        ax.bar_label(bars, padding=2, fontsize=8, fmt=swedish_number)
    ax.set_xticks(list(positions), _wrapped(labels, 12))
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(_SWEDISH)
    ax.set_title(title, loc="left")
    ax.legend(frameon=False)
    return _to_svg(fig)


@cached_chart
def line_chart(
    x: list[str], series: dict[str, list[float]], *, title: str, ylabel: str = ""
) -> str:
    """Trends over years: one line per series, with markers so points read without colour."""
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    markers = "osD^v<>"
    for index, (name, values) in enumerate(series.items()):
        ax.plot(
            x,
            values,
            marker=markers[index % len(markers)],
            label=name,
            color=PALETTE[index % len(PALETTE)],
        )
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(_SWEDISH)
    ax.set_title(title, loc="left")
    if len(series) > 1:
        ax.legend(frameon=False)
    return _to_svg(fig)


def pdf_image(svg: str) -> str:
    """A chart as an ``<img>`` for WeasyPrint.

    Inline, each of a chart's hundreds of elements goes through the document's CSS cascade and
    layout; as an image WeasyPrint draws the same SVG directly (text stays text), which takes a
    third less time for a PDF full of charts. The empty alt text matches the page, where charts
    are aria-hidden: the table beside each chart carries its numbers.
    """
    import base64

    from django.utils.html import format_html

    data = base64.b64encode(svg.encode()).decode("ascii")
    return format_html('<img alt="" src="data:image/svg+xml;base64,{}">', data)
