"""Show a bus_portal.charts SVG on screen as an image.

Inline SVG from matplotlib carries ``style`` attributes, which the portal's CSP (style-src 'self')
blocks, so the chart renders black. As an ``<img>`` with a data URI the SVG is its own document and
keeps its styling; the numbers are always in the table next to it.
"""

import base64

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def svg_image(svg: str, alt: str = ""):
    if not svg:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="img-fluid" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt
    )
