"""Filters every page uses: scripts, names in the reader's language, short titles."""

from django import template

from policykb import display
from policykb.dates import precise_date

register = template.Library()


@register.filter(is_safe=True)
def script(value: str) -> str:
    """Render Chinese text in the script of the current interface language."""
    return display.in_ui_script(value or "")


@register.filter
def local_name(obj) -> str:  # type: ignore[no-untyped-def]
    return display.local_name(obj)


@register.filter
def local_name_lang(obj) -> str:  # type: ignore[no-untyped-def]
    return display.local_name_lang(obj)


@register.filter
def other_name(obj) -> str:  # type: ignore[no-untyped-def]
    return display.other_name(obj)


@register.filter
def short_title(value: str, limit: int = display.TITLE_LIMIT) -> str:
    return display.short_title(display.in_ui_script(value or ""), int(limit))


@register.filter
def content_lang(text) -> str:  # type: ignore[no-untyped-def]
    """lang attribute of a MeasureText (or anything with language and script)."""
    return display.content_lang(getattr(text, "language", "") or "", getattr(text, "script", ""))


@register.filter
def lang_tag(language: str) -> str:
    """lang attribute of content known only by its language code ("zh", "en")."""
    return display.content_lang(language or "")


@register.filter
def doc_title(document) -> str:  # type: ignore[no-untyped-def]
    return display.document_title(document)[0]


@register.filter
def doc_title_lang(document) -> str:  # type: ignore[no-untyped-def]
    return display.content_lang(display.document_title(document)[1])


@register.filter
def reader_text(measure):  # type: ignore[no-untyped-def]
    """The measure's text in the reader's language if it has one, else its original."""
    return display.reader_text(list(measure.texts.all()))


@register.filter
def issued(document) -> str:  # type: ignore[no-untyped-def]
    """A document's issue date at the precision the notice gives it."""
    return precise_date(document.issued_on, document.issued_precision)


@register.filter
def long_date(value) -> str:  # type: ignore[no-untyped-def]
    return precise_date(value)


@register.simple_tag
def other_lang() -> str:
    """lang attribute of a name shown in the other language (English on Chinese pages)."""
    return display.content_lang("zh" if not display.is_chinese_ui() else "en")


_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


@register.filter
def comparator(value: str | None) -> str:
    """A target's comparator as a sign (≥ for 'at least', 以上)."""
    return _COMPARATORS.get(value or "", value or "–")


@register.filter
def main_tags(measure, limit: int = 4) -> list:  # type: ignore[no-untyped-def]
    """The tags that matter most to a reader (who it is for, what support), a few at most."""
    return [t for t in measure.tags.all() if t.is_prominent][: int(limit)]


@register.filter
def name_lang(obj) -> str:  # type: ignore[no-untyped-def]
    return display.name_lang(obj)


@register.filter
def field_label(form, name: str) -> str:  # type: ignore[no-untyped-def]
    """The label of a form's field by name (for error lists)."""
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


@register.filter
def wan(value) -> str:  # type: ignore[no-untyped-def]
    """An amount in 万元 as the reader's language writes it (万元, or CNY millions)."""
    from measures.sizeclass import money

    return money(value)
