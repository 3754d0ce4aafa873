from django import template
from django.utils.translation import get_language

from policykb.chinese import for_ui_language

register = template.Library()


@register.filter
def script(value: str) -> str:
    """Render Chinese text in the script of the current interface language."""
    return for_ui_language(value or "", get_language() or "")
