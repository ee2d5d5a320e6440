"""Form widgets, and widget HTML written in Python for pages with very many fields.

Django renders each widget through its template engine (input.html, attrs.html, one template per
select option): about a millisecond a field, which is most of the time of a SIP's edit form (a
hundred fields) or a filter with hundreds of areas. The functions here write the same HTML as
Django's templates for the common widgets.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def attrs_html(attrs: dict) -> str:
    """Django's django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def options_html(choices, value: list[str]) -> SafeString:
    """Django's options of a single select (which carry no attributes but ``selected``), written
    from the choices directly: Django first builds a dictionary per option (``optgroups``)."""
    wanted = set(value)
    selected_one = False
    parts: list[str] = []

    def option(option_value, label) -> str:
        nonlocal selected_one
        if option_value is None:
            option_value = ""
        selected = not selected_one and str(option_value) in wanted
        selected_one = selected_one or selected
        return format_html(
            '\n  <option value="{}"{}>{}</option>',
            str(option_value),
            mark_safe(" selected") if selected else "",
            label,
        )

    for option_value, label in choices:
        if isinstance(label, list | tuple):
            parts.append(format_html('\n  <optgroup label="{}">', option_value))
            parts.extend(option(v, sub_label) for v, sub_label in label)
            parts.append(mark_safe("\n  </optgroup>"))
        else:
            parts.append(option(option_value, label))
    return mark_safe("".join(parts))


class Checklist(forms.CheckboxSelectMultiple):
    """A multiple choice as check boxes, never a multiple select list (choosing several options
    there takes Ctrl+click or Ctrl+Space, which many keyboard and screen-reader users do not
    know). A list longer than a screenful scrolls and gets a filter field (static/js/portal.js);
    without JavaScript it is a plain list of check boxes."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"data-checklist": "", **(attrs or {})})


class FastSelect(forms.Select):
    """A select whose options are written in Python (same HTML as Django's select)."""

    template_name = "widgets/fast_select.html"

    def get_context(self, name, value, attrs):
        # The widget's base context (name, formatted value, attrs) without Django's option dicts.
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["options_html"] = options_html(self.choices, context["widget"]["value"])
        return context


def render_widget(bound: forms.BoundField, attrs: dict, describedby: str = "") -> SafeString | None:
    """``bound.as_widget(attrs=attrs)`` for inputs, check boxes, text areas and single selects;
    None for any other widget (the caller renders it the usual way). ``describedby`` replaces
    Django's aria-describedby (help text only) in the place crispy puts it."""
    widget = bound.field.widget
    if isinstance(widget, forms.SelectMultiple | forms.RadioSelect | forms.FileInput):
        return None
    if not isinstance(widget, forms.widgets.Input | forms.Textarea | forms.Select):
        return None
    attrs = bound.build_widget_attrs(attrs, widget)
    attrs.pop("aria-describedby", None)
    if describedby:
        attrs["aria-describedby"] = describedby
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    # For a select, the base context only: its option dicts are not needed here.
    if isinstance(widget, forms.Select):
        context = forms.Widget.get_context(widget, bound.html_name, bound.value(), attrs)
    else:
        context = widget.get_context(bound.html_name, bound.value(), attrs)
    context = context["widget"]
    name = conditional_escape(context["name"])
    rendered_attrs = attrs_html(context["attrs"])
    if isinstance(widget, forms.Select):
        options = options_html(widget.choices, context["value"])
        return mark_safe(f'<select name="{name}"{rendered_attrs}>{options}\n</select>')
    if isinstance(widget, forms.Textarea):
        value = conditional_escape(context["value"]) if context["value"] else ""
        return mark_safe(f'<textarea name="{name}"{rendered_attrs}>\n{value}</textarea>')
    value = context["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return mark_safe(f'<input type="{context["type"]}" name="{name}"{value_attr}{rendered_attrs}>')
