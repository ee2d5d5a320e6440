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


def options_html(optgroups) -> SafeString:
    """Django's select options (which carry no attributes but ``selected``)."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
            )
        if group_name:
            parts.append(mark_safe("\n  </optgroup>"))
    return mark_safe("".join(parts))


class FastSelect(forms.Select):
    """A select whose options are written in Python (same HTML as Django's select)."""

    template_name = "widgets/fast_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = options_html(context["widget"]["optgroups"])
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
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    name = conditional_escape(context["name"])
    rendered_attrs = attrs_html(context["attrs"])
    if isinstance(widget, forms.Select):
        return mark_safe(
            f'<select name="{name}"{rendered_attrs}>{options_html(context["optgroups"])}\n</select>'
        )
    if isinstance(widget, forms.Textarea):
        value = conditional_escape(context["value"]) if context["value"] else ""
        return mark_safe(f'<textarea name="{name}"{rendered_attrs}>\n{value}</textarea>')
    value = context["value"]
    value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return mark_safe(f'<input type="{context["type"]}" name="{name}"{value_attr}{rendered_attrs}>')
