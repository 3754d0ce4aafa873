"""Chinese word segmentation with jieba, for the search index and for queries.

The dictionary is loaded once per process; jieba's prefix-dictionary cache is kept on
disk (settings.JIEBA_CACHE_DIR) so a new process loads it in well under a second. The
user dictionary (measures/data/userdict.txt) keeps policy terms such as 专精特新 whole.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from policykb.chinese import to_simplified

logger = logging.getLogger(__name__)

USER_DICT = Path(__file__).resolve().parent / "data" / "userdict.txt"

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None

# A token is kept if it holds a letter, digit or CJK character; punctuation is dropped in
# Python because a cluster's locale decides how PostgreSQL's parser would split it.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _load()
    return _tokenizer


def _load() -> jieba.Tokenizer:
    from django.conf import settings

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    cache_dir = Path(settings.JIEBA_CACHE_DIR)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tok.tmp_dir = str(cache_dir)
    tok.initialize()
    if USER_DICT.exists():
        tok.load_userdict(str(USER_DICT))
    return tok


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def index_tokens(text: str) -> str:
    """Space-separated tokens for the index: Simplified, jieba search mode, no punctuation."""
    if not text:
        return ""
    if len(text) <= 64:
        # Headings and tag names repeat across the measures of a notice.
        return _short_index_tokens(text)
    return _index_tokens(text)


@lru_cache(maxsize=4096)
def _short_index_tokens(text: str) -> str:
    return _index_tokens(text)


def _index_tokens(text: str) -> str:
    simplified = to_simplified(text)
    if not has_chinese(simplified):
        return simplified
    words = tokenizer().cut_for_search(simplified)
    return " ".join(w for w in words if _WORDLIKE.search(w))


def query_words(text: str) -> list[str]:
    """Words of a Chinese query: precise mode, each word also expanded to its sub-words.

    jieba's search mode indexes only dictionary sub-words of a long word (日本京都大学 →
    京都, 大学, 日本京都大学), so the query word 京都大学 must be matched through its own
    sub-words too; callers OR a word with the AND of its sub-words.
    """
    simplified = to_simplified(text)
    return [w for w in tokenizer().lcut(simplified) if _WORDLIKE.search(w)]


def sub_words(word: str) -> list[str]:
    """Dictionary sub-words jieba's search mode would add for `word` (may be empty)."""
    words = [w for w in tokenizer().cut_for_search(word) if w != word and _WORDLIKE.search(w)]
    return list(dict.fromkeys(words))


def warm_up() -> None:
    """Load the dictionary now (called when a web or worker process starts)."""
    tokenizer().lcut("预热")
