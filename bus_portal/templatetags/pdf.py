"""Filters for print templates (``pdf/base.html``)."""

from __future__ import annotations

import html

from django import template

register = template.Library()


@register.filter(is_safe=True)
def css_string(value: object) -> str:
    """Text for a CSS string in a ``<style>`` element (the running header of a PDF page).

    A style element's text is not HTML: "&amp;" would be printed as it stands. The text rendered
    by the template (already HTML-escaped) is unescaped, then escaped for CSS: a quote, a backslash
    or "</style>" cannot end the string or the element.
    """
    text = html.unescape(str(value))
    escaped = []
    for char in text:
        if char in '"\\<>' or ord(char) < 0x20:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return "".join(escaped)
