"""Simplified/Traditional conversion with OpenCC, one converter per direction per process."""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    return _converter("s2tw").convert(text) if text else text


def for_ui_language(text: str, ui_language: str) -> str:
    """Show Chinese text in the script of the interface; other text unchanged.

    Traditional readers get OpenCC's conversion where no Traditional original exists,
    and the other way round.
    """
    if not text:
        return text
    if ui_language == "zh-hant":
        return to_traditional(text)
    if ui_language == "zh-hans":
        return to_simplified(text)
    return text
