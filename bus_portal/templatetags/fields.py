"""``{{ form.field|bs_field }}``: crispy-bootstrap5's field markup, written in Python.

``as_crispy_field`` renders a tree of templates per field, about a millisecond each; a SIP's
edit form has a hundred fields (every participant and measure row repeats seven), which made the
page several times slower than its queries. This filter writes the same markup for the simple
widgets (inputs, selects, text areas, check boxes): label with the required marker, the widget
with ``is-invalid``/``aria-invalid`` and ``aria-describedby`` pointing at the errors and help
text, then the errors and help text. Anything else (radio lists, multiple check boxes) is
handed to crispy as before.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from bus_portal.widgets import render_widget

register = template.Library()

_CONTROL_CLASS = (
    (forms.CheckboxInput, "form-check-input"),
    (forms.Select, "form-select"),
    (forms.Textarea, "form-control"),
    (forms.widgets.Input, "form-control"),
)
_DELEGATED = (
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.SelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


@register.filter
def bs_field(bound: forms.BoundField):
    widget = bound.field.widget
    if widget.is_hidden:
        return bound.as_hidden()
    if isinstance(widget, _DELEGATED):
        return as_crispy_field(bound)
    # As crispy: the widget's class name, then Bootstrap's class for its kind of control.
    kind_css = next(css for kind, css in _CONTROL_CLASS if isinstance(widget, kind))
    css = f"{type(widget).__name__.lower()} {kind_css}"
    errors = bound.errors
    auto_id = bound.auto_id
    wanted = [css, widget.attrs.get("class", ""), "is-invalid" if errors else ""]
    classes = " ".join(dict.fromkeys(" ".join(wanted).split()))  # in order, once each
    described = [f"{auto_id}_helptext"] if bound.help_text else []
    if errors:
        described.append(f"{auto_id}_error")
    describedby = " ".join(described)
    control = render_widget(bound, {"class": classes}, describedby) or bound.as_widget(
        attrs={"class": classes, **({"aria-describedby": describedby} if describedby else {})}
    )
    error_html = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, auto_id, e) for n, e in enumerate(errors, start=1)),
            ),
        )
        if errors
        else ""
    )
    help_html = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', auto_id, mark_safe(bound.help_text)
        )
        if bound.help_text
        else ""
    )
    required = bound.field.required
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            auto_id,
            control,
            auto_id,
            bound.label,
            error_html,
            help_html,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}{}</div>',
        auto_id,
        auto_id,
        " requiredField" if required else "",
        bound.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        control,
        error_html,
        help_html,
    )


@register.filter
def bs_form(form: forms.BaseForm):
    """``{{ form|crispy }}`` for forms of simple fields: the form's own errors, then each field."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
            )
        )
    parts.extend(bs_field(bound) for bound in form)
    return mark_safe("".join(str(part) for part in parts))


@register.filter
def error_anchor(bound: forms.BoundField) -> str:
    """The id an error-summary link jumps to: the field's control, or for a group of check
    boxes or radio buttons (whose label names no single control) its first option."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or bound.auto_id or ""
