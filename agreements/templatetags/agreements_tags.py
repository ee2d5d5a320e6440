from django import template

register = template.Library()


@register.filter
def dictget(mapping, key):
    """{{ mapping|dictget:key }} for dicts keyed by ids."""
    if not mapping:
        return None
    return mapping.get(key)
