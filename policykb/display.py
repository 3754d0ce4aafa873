"""How content is named and shortened on pages: own language first, in the page's script.

Pages are in English, Simplified or Traditional Chinese; content is Chinese or English,
in either script. These helpers pick the reader's language where content has it, say
which language a text is in (for the `lang` attribute, so Latin text gets a Latin face)
and cut long titles where a reader would: at a clause or word boundary.
"""

from __future__ import annotations

import re
from typing import Protocol

from django.utils.translation import get_language

from policykb.chinese import for_ui_language

TITLE_LIMIT = 90  # characters of a title shown in lists and headings
_ZH_BOUNDARY = "，、；：。！？）》」』"
_EN_BOUNDARY = re.compile(r"[,;:.!?)]\s|\s")


class Named(Protocol):
    name_zh: str
    name_en: str


def ui_language() -> str:
    return get_language() or "en"


def is_chinese_ui(language: str | None = None) -> bool:
    return (language or ui_language()).startswith("zh")


def in_ui_script(text: str) -> str:
    """Chinese text in the script of the interface (English text unchanged)."""
    return for_ui_language(text or "", ui_language())


def content_lang(language: str, script: str = "") -> str:
    """The BCP 47 tag of content as a page shows it (Chinese follows the page's script)."""
    if language != "zh":
        return language or "en"
    ui = ui_language()
    if ui == "zh-hant":
        return "zh-Hant"
    if ui == "zh-hans":
        return "zh-Hans"
    return "zh-Hant" if script == "hant" else "zh-Hans"


def local_name(obj: Named | None) -> str:
    """A bilingual name in the reader's language: English pages English, Chinese pages Chinese."""
    if obj is None:
        return ""
    if is_chinese_ui():
        return in_ui_script(obj.name_zh or obj.name_en)
    return obj.name_en or in_ui_script(obj.name_zh)


def local_name_lang(obj: Named | None) -> str:
    """The lang attribute of local_name(obj): the name may be the other language's."""
    if obj is None:
        return ""
    chinese = bool(obj.name_zh) if is_chinese_ui() else not obj.name_en
    return content_lang("zh") if chinese else "en"


def other_name(obj: Named | None) -> str:
    """The name in the other language, shown second (empty when it is the same)."""
    if obj is None:
        return ""
    other = obj.name_en if is_chinese_ui() else in_ui_script(obj.name_zh)
    return "" if other == local_name(obj) else other


def short_title(title: str, limit: int = TITLE_LIMIT) -> str:
    """A title cut at a clause or word boundary with an ellipsis, starting with a capital."""
    title = " ".join((title or "").split())
    if title[:1].islower():
        title = title[0].upper() + title[1:]
    if len(title) <= limit:
        return title
    head = title[:limit]
    if re.search(r"[\u4e00-\u9fff]", head):
        cut = max(head.rfind(p) for p in _ZH_BOUNDARY)
        head = head[: cut + 1] if cut >= limit // 2 else head
    else:
        cuts = [m.start() for m in _EN_BOUNDARY.finditer(title[: limit + 1])]
        head = title[: cuts[-1]] if cuts and cuts[-1] >= limit // 2 else head
    return head.rstrip(" ,;:，、；：") + "…"


def document_title(document) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(title, language) of a document as the reader should see it first.

    English readers get a curated English title where one exists, Chinese readers the
    Chinese one; otherwise the title the notice has.
    """
    if is_chinese_ui():
        pairs = [(document.title_zh, "zh"), (document.title_en, "en")]
    else:
        pairs = [(document.title_en, "en"), (document.title_zh, "zh")]
    for title, language in pairs:
        if title:
            return (in_ui_script(title) if language == "zh" else title), language
    return document.notice_key, "en"


def reader_text(texts: list, language: str | None = None):  # type: ignore[no-untyped-def]
    """The language version a reader of `language` (default: the page's) should see first."""
    if not texts:
        return None
    wanted = "zh" if is_chinese_ui(language) else "en"
    return next((t for t in texts if t.language == wanted), None) or next(
        (t for t in texts if t.is_original), texts[0]
    )


def name_lang(obj: Named | None) -> str:
    """The lang attribute of local_name(obj): the language the name is actually in."""
    if obj is None:
        return ""
    if is_chinese_ui():
        return content_lang("zh") if obj.name_zh else "en"
    return "en" if obj.name_en else content_lang("zh")
