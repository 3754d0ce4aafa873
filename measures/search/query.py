"""Turning what a user typed into safe tsquery SQL, in both languages.

A query is read into *clauses* joined by AND; a clause is one or more *terms* joined by
`OR`; `-word` excludes a term and `"a phrase"` (also “…”, 「…」) keeps words together.
The operators work alike in Chinese and English. Question and filler words (怎么办,
有没有, "how do I", "is there") are dropped from the required part.

Each term carries its *alternatives*, each tagged with where it came from:

- own: the word itself (Chinese: jieba precise mode, Simplified, or all of its dictionary
  sub-words; English: stemmed, singular and plural);
- glossary: the staff glossary's renderings in the other language;
- phrasing: the policy terms staff listed for an owner's phrasing (缺钱周转 → 流动资金),
  and those terms' glossary renderings;
- dictionary: CC-CEDICT senses, only for words the glossary lacks;
- amount: a normalised value token (measures.search.amounts).

A term matches through any of its alternatives; an excluded term excludes them all.
Nothing the user typed is spliced into SQL: every word reaches PostgreSQL as a bound
parameter of plainto_tsquery / phraseto_tsquery, or as a quoted lexeme.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from measures.search import amounts, tsquery
from measures.search.dictionary import GLUE_WORDS, Dictionary, singular
from measures.segment import query_words, sub_words
from policykb.chinese import to_simplified, to_traditional

MAX_QUERY_CHARS = 200
MAX_TERMS = 12  # content words looked at; the rest of a very long query is ignored

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_OR_LATIN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9][A-Za-z0-9'’.]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
_QUOTED = re.compile(
    r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』|(?:(?<=\s)|^)\'([^\']+)\'(?=\s|$)'
)
_PLACEHOLDER = "\x01"
_DATA = Path(__file__).resolve().parents[1] / "data"

# Words that ask or glue but name no topic (measures/data/fillers_*.txt, one a line).
# A query made of nothing else keeps them.
ZH_FILLERS = frozenset((_DATA / "fillers_zh.txt").read_text(encoding="utf-8").split())
EN_FILLERS = frozenset((_DATA / "fillers_en.txt").read_text(encoding="utf-8").split())
# A single Chinese character that glues a query together (used for the rest of a run).
_ZH_STOP = set("的和与及等了在是对为或之其并把被就也都而且从以吗呢吧啊我你他她它")


@dataclass
class Glossary:
    """zh term → English renderings, and English rendering → zh terms (lowercase)."""

    zh_to_en: dict[str, list[str]] = field(default_factory=dict)
    en_to_zh: dict[str, list[str]] = field(default_factory=dict)
    forms: dict[str, set[str]] = field(default_factory=dict)  # key → renderings as written

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, list[str]]]) -> Glossary:
        glossary = cls()
        for zh, renderings in pairs:
            glossary.zh_to_en[zh] = [r.lower() for r in renderings]
            for r in renderings:
                glossary.en_to_zh.setdefault(en_key(r), []).append(zh)
                glossary.forms.setdefault(en_key(r), set()).add(r.lower())
        return glossary


@dataclass
class Lexicon:
    """What a query is read with: glossary, owners' phrasings and the dictionary."""

    glossary: Glossary
    phrasings: dict[str, list[str]] = field(default_factory=dict)  # phrase → policy terms
    dictionary: Dictionary = field(default_factory=Dictionary)

    def keys_zh(self) -> set[str]:
        cached = getattr(self, "_keys_zh", None)
        if cached is None:
            cached = {k for k in [*self.glossary.zh_to_en, *self.phrasings] if _CJK_CHAR.search(k)}
            self._keys_zh = cached
        return cached

    def keys_en(self) -> dict[int, set[str]]:
        """English glossary renderings and phrasings of several words, by word count."""
        cached = getattr(self, "_keys_en", None)
        if cached is None:
            cached = {}
            for key in [*self.glossary.en_to_zh, *(en_key(p) for p in self.phrasings)]:
                if not _CJK_CHAR.search(key) and " " in key:
                    cached.setdefault(len(key.split()), set()).add(key)
            self._keys_en = cached
        return cached

    def bags_en(self) -> dict[frozenset[str], str]:
        """English glossary renderings of several words, keyed by their content words."""
        cached = getattr(self, "_bags_en", None)
        if cached is None:
            cached = {}
            for key in sorted(self.glossary.en_to_zh):
                bag = content_bag(key.split())
                if len(bag) > 1:
                    cached.setdefault(bag, key)
            self._bags_en = cached
        return cached


@dataclass
class SqlQuery:
    """A tsquery as SQL text with its bound parameters."""

    sql: str
    params: list[str]

    @staticmethod
    def any_of(parts: list[SqlQuery | None]) -> SqlQuery | None:
        return SqlQuery._join(parts, " || ")

    @staticmethod
    def all_of(parts: list[SqlQuery | None]) -> SqlQuery | None:
        return SqlQuery._join(parts, " && ")

    @staticmethod
    def _join(parts: list[SqlQuery | None], op: str) -> SqlQuery | None:
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        if len(kept) == 1:
            return kept[0]
        return SqlQuery(
            "(" + op.join(p.sql for p in kept) + ")", [x for p in kept for x in p.params]
        )


OWN, GLOSSARY, PHRASING, DICTIONARY, AMOUNT = "own", "glossary", "phrasing", "dictionary", "amount"
NEAR = (OWN, AMOUNT, GLOSSARY, PHRASING)  # what weighs as much as the user's own words


@dataclass
class Alt:
    kind: str
    sql: SqlQuery
    via: str = ""  # the term or rendering it came through
    far: bool = False  # two steps away (a phrasing's term, then its glossary rendering)


@dataclass
class Term:
    text: str  # as read from the query (Simplified, lower case for English)
    alts: list[Alt]
    phrase: str = ""  # a quoted Chinese phrase: the text must contain it


@dataclass
class ParsedQuery:
    text: str
    clauses: list[list[Term]]
    excluded: list[Term]
    zh_terms: list[str]  # Simplified words to mark in snippets
    en_text: str  # the English words, for marking stems
    dropped: list[str] = field(default_factory=list)  # filler words left out
    marks: list[str] = field(default_factory=list)  # expansions to mark in snippets too

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def terms(self) -> list[Term]:
        return [t for clause in self.clauses for t in clause]


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def en_key(text: str) -> str:
    """An English phrase as glossary keys are compared: lower case, words only."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")).split())


def content_bag(words: list[str]) -> frozenset[str]:
    """The content words of an English phrase, singular, in no order: "integration of
    large and small enterprises" and "large and small enterprise integration" are alike."""
    return frozenset(singular(w) for w in words if w not in GLUE_WORDS)


# --- alternatives -------------------------------------------------------------------


def _zh_lexeme(word: str) -> SqlQuery:
    return SqlQuery("plainto_tsquery('simple', %s)", [word])


def _zh_word(word: str, *, depth: int = 1) -> SqlQuery:
    """A Chinese word, or all of its dictionary sub-words.

    Each sub-word is matched as it would be as a query word of its own: 法治化营商环境 is
    held by a text that says 法治营商环境, as 法治化 alone is by one that says 法治.
    """
    subs = sub_words(word)
    whole = _zh_lexeme(word)
    if not subs:
        return whole
    # Two characters split further are single characters, which say too little.
    parts = [_zh_word(s, depth=depth - 1) if depth > 0 and len(s) > 2 else _zh_lexeme(s) for s in subs]  # fmt: skip
    return SqlQuery.any_of([whole, SqlQuery.all_of(parts)])  # type: ignore[return-value]


def zh_phrase(text: str) -> SqlQuery | None:
    """All the words of a Chinese text (the glue characters left out)."""
    words = [w for w in query_words(text) if not (len(w) == 1 and w in _ZH_STOP)]
    return SqlQuery.all_of([_zh_word(w) for w in words])


def _en_phrase(phrase: str) -> SqlQuery:
    return SqlQuery("phraseto_tsquery('english', %s)", [phrase])


def _en_word(word: str) -> SqlQuery:
    """An English word in its singular and plural (the stemmer leaves SMEs as smes)."""
    forms = [word]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    elif word.isalpha():
        forms.append(word + "s")
    return SqlQuery.any_of([SqlQuery("plainto_tsquery('english', %s)", [f]) for f in forms])  # type: ignore[return-value]


def _target(term: str) -> SqlQuery | None:
    return zh_phrase(term) if _CJK_CHAR.search(term) else _en_phrase(term)


def _zh_alts(word: str, lexicon: Lexicon, *, own: SqlQuery | None = None) -> list[Alt]:
    alts = [Alt(OWN, own or _zh_word(word))]
    glossary = lexicon.glossary
    renderings = glossary.zh_to_en.get(word)
    if renderings:
        alts += [Alt(GLOSSARY, _en_phrase(en), en) for en in renderings]
    alts += _phrasing_alts(word, lexicon)
    if not renderings and len(word) > 1:
        senses = lexicon.dictionary.senses(word)
        alts += [Alt(DICTIONARY, _en_phrase(en), en) for en in senses]
        # 股权 "equity shares": a text says equity financing, equity investment
        anchors = {lexicon.dictionary.anchor(en) for en in senses} - {None, *senses}
        alts += [Alt(DICTIONARY, _en_word(a), a) for a in sorted(anchors)]  # type: ignore[arg-type]
        # A compound the dictionary lacks, by the sub-words it has that cover it: 航空航天 →
        # 航空 (aviation) and 航天 (space flight); 空航, jieba's stray, is no part of it.
        known = [s for s in sub_words(word) if len(s) > 1 and lexicon.dictionary.senses(s)]
        covered = {i for s in known for i in range(word.find(s), word.find(s) + len(s))}
        parts = [lexicon.dictionary.senses(s)[:2] for s in known]
        if len(parts) > 1 and len(covered) == len(word):
            via = " + ".join(p[0] for p in parts)
            both = SqlQuery.all_of([SqlQuery.any_of([_en_phrase(e) for e in p]) for p in parts])
            alts.append(Alt(DICTIONARY, both, via))  # type: ignore[arg-type]
    return alts


def _en_alts(key: str, lexicon: Lexicon, *, own: SqlQuery | None = None) -> list[Alt]:
    """`own`: the words as typed, when `key` is a rendering they match in another order."""
    glossary = lexicon.glossary
    reordered = own is not None
    if own is None and " " in key:
        # The phrase as read, and as the glossary writes it (medium-sized, mayor's cup: the
        # index holds those one position apart or with a stop word between).
        forms = sorted({key, *glossary.forms.get(key, ())})
        spaced = [f.replace("'", " ") for f in forms if "'" in f]
        own = SqlQuery.any_of([_en_phrase(f) for f in [*forms, *spaced]])
    elif own is None:
        own = _en_word(key)
    alts = [Alt(OWN, own)]  # type: ignore[arg-type]
    zh_terms = glossary.en_to_zh.get(key) or (
        glossary.en_to_zh.get(key[:-1]) if key.endswith("s") else glossary.en_to_zh.get(key + "s")
    )
    for zh in zh_terms or []:
        alts.append(Alt(GLOSSARY, zh_phrase(zh) or _zh_lexeme(zh), zh))
        alts += [
            Alt(GLOSSARY, _en_phrase(e), e)
            for e in glossary.zh_to_en[zh]
            if en_key(e) != key or reordered
        ]
    alts += _phrasing_alts(key, lexicon)
    if not zh_terms:
        alts += [Alt(DICTIONARY, _zh_word(zh), zh) for zh in lexicon.dictionary.words_for(key)]
    return alts


def _phrasing_alts(key: str, lexicon: Lexicon) -> list[Alt]:
    alts: list[Alt] = []
    for term in lexicon.phrasings.get(key, []):
        target = _target(term)
        if target is not None:
            alts.append(Alt(PHRASING, target, term))
        # Two steps (流动资金 → working capital) weigh as little as a dictionary sense.
        for en in lexicon.glossary.zh_to_en.get(term, []):
            alts.append(Alt(PHRASING, _en_phrase(en), en, far=True))
        for zh in lexicon.glossary.en_to_zh.get(en_key(term), []):
            alts.append(Alt(PHRASING, zh_phrase(zh) or _zh_lexeme(zh), zh, far=True))
    return alts


def _amount_alt(amount: amounts.Amount) -> Alt:
    kinds = ["cny", "cnt"] if amount.kind in ("any", "cnt") else [amount.kind]
    text = tsquery.any_of([amounts.token(k, amount.value) for k in kinds])
    return Alt(AMOUNT, SqlQuery("%s::tsquery", [text]), amount.token if amount.kind != "any" else amounts.token("cny", amount.value))  # fmt: skip


# --- reading the query -----------------------------------------------------------------


def _segment_zh(run: str, keys: set[str]) -> list[tuple[str, bool]]:
    """A Chinese run cut into (piece, is_known_key): glossary terms and phrasings first."""
    pieces: list[tuple[str, bool]] = []
    i, rest = 0, ""
    longest = max((len(k) for k in keys), default=0)
    while i < len(run):
        for size in range(min(longest, len(run) - i), 1, -1):
            if run[i : i + size] in keys:
                if rest:
                    pieces += [(w, False) for w in query_words(rest)]
                    rest = ""
                pieces.append((run[i : i + size], True))
                i += size
                break
        else:
            rest += run[i]
            i += 1
    if rest:
        pieces += [(w, False) for w in query_words(rest)]
    return pieces


MAX_BAG_WORDS = 8  # the longest run of query words compared with a glossary rendering


def _segment_en(
    words: list[str], keys: dict[int, set[str]], bags: dict[frozenset[str], str] | None = None
) -> list[tuple[str, str]]:
    """English words with known phrases of several words kept together, longest first.

    Each piece is (as typed, lexicon key). A run holding the content words of a glossary
    rendering in another order or form ("rule of law business environment" for
    "business environment rule of law") reads as that rendering when it is longer than
    the phrase found as written.
    """
    out, i = [], 0
    sizes = sorted(keys, reverse=True)
    while i < len(words):
        exact = next(
            (n for n in sizes if n <= len(words) - i and " ".join(words[i : i + n]) in keys[n]), 0
        )
        bag, bag_key = 0, ""
        if bags and words[i] not in GLUE_WORDS:
            for n in range(min(MAX_BAG_WORDS, len(words) - i), max(exact, 1), -1):
                if words[i + n - 1] in GLUE_WORDS:
                    continue
                if (found := bags.get(content_bag(words[i : i + n]))) is not None:
                    bag, bag_key = n, found
                    break
        if bag > exact:
            out.append((" ".join(words[i : i + bag]), bag_key))
            i += bag
        elif exact:
            out.append((" ".join(words[i : i + exact]),) * 2)
            i += exact
        else:
            out.append((words[i], words[i]))
            i += 1
    return out


def _en_words(text: str) -> list[str]:
    text = re.sub(r"(?<=[a-z])[’']s\b", "", text.lower())  # governor's → governor
    text = re.sub(r"[’']", "", text)
    text = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])|(?<=[a-z])-(?=\s)", " ", text)  # medium-sized
    return re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text)


def _chunk_terms(
    chunk: str, lexicon: Lexicon, dropped: list[str], *, phrases: bool = True
) -> list[Term]:
    """The terms of an unquoted piece of query, fillers left out."""
    terms: list[Term] = []
    zh_keys, en_keys = (lexicon.keys_zh(), lexicon.keys_en()) if phrases else (set(), {})
    bags = lexicon.bags_en() if phrases else None
    latin: list[str] = []

    def flush_latin() -> None:
        for typed, key in _segment_en(latin, en_keys, bags):
            if key in EN_FILLERS and key not in lexicon.phrasings:
                dropped.append(key)
            elif typed != key:  # a rendering's words in another order: all of them, anywhere
                own = SqlQuery("plainto_tsquery('english', %s)", [typed])
                terms.append(Term(typed, _en_alts(key, lexicon, own=own)))
            else:
                terms.append(Term(key, _en_alts(key, lexicon)))
        latin.clear()

    for piece in _CJK_OR_LATIN.findall(chunk):
        if not _CJK_CHAR.match(piece):
            latin.extend(_en_words(piece))
            continue
        flush_latin()
        for word, known in _segment_zh(piece, zh_keys):
            if not known and (word in ZH_FILLERS or (len(word) == 1 and word in _ZH_STOP)):
                dropped.append(word)
                continue
            own = zh_phrase(word) if known and word in lexicon.phrasings else None
            terms.append(Term(word, _zh_alts(word, lexicon, own=own)))
    flush_latin()
    return terms


def _phrase_term(text: str) -> Term | None:
    simplified = to_simplified(text).strip()
    if not simplified:
        return None
    if _CJK_CHAR.search(simplified):
        own = zh_phrase(simplified)
        if own is None:
            return None
        compact = "".join(simplified.split())
        return Term(compact, [Alt(OWN, own)], phrase=compact)
    words = " ".join(_en_words(simplified))
    if not words:
        return None
    # "Governor's Award": the index may hold governor and award one or two positions apart.
    spaced = re.sub(r"[’']", " ", simplified.lower())
    own = SqlQuery.any_of([_en_phrase(words), _en_phrase(spaced)])
    return Term(words, [Alt(OWN, own)])  # type: ignore[arg-type]


MAX_EXCLUDED_TERMS = 20


def _widened(term: Term, lexicon: Lexicon) -> Term:
    """An excluded word with the glossary terms that contain it, in both languages.

    -guarantee also excludes 融资担保 (financing guarantee); -担保 also excludes the
    renderings of 融资担保: an exclusion errs on the side of leaving more out.
    """
    glossary, word, extra = lexicon.glossary, term.text, []
    if _CJK_CHAR.search(word):
        found = [zh for zh in glossary.zh_to_en if word in zh and zh != word]
    else:
        pattern = re.compile(rf"\b{re.escape(word)}", re.I)
        found = [
            zh for zh, ens in glossary.zh_to_en.items() if any(pattern.search(en) for en in ens)
        ]
    for zh in found[:MAX_EXCLUDED_TERMS]:
        extra.append(Alt(GLOSSARY, zh_phrase(zh) or _zh_lexeme(zh), zh))
        extra += [Alt(GLOSSARY, _en_phrase(en), en) for en in glossary.zh_to_en[zh]]
    return Term(term.text, [*term.alts, *extra], term.phrase)


def _runs(tokens: list[str]) -> list[str]:
    """Plain words next to each other joined again, so phrases of several words are read.

    Operators (OR, -word) and held phrases or amounts stand alone; OR binds the words
    right beside it, so those stay apart from the run.
    """
    out: list[str] = []
    for i, token in enumerate(tokens):
        plain = not (
            token in ("OR", "|", "或") or token.startswith("-") or _PLACEHOLDER in token
            or (i + 1 < len(tokens) and tokens[i + 1] in ("OR", "|", "或"))
            or (i > 0 and tokens[i - 1] in ("OR", "|", "或"))
        )  # fmt: skip
        if plain and out and out[-1].endswith(" \x02"):
            out[-1] = out[-1][:-2] + " " + token + " \x02"
        else:
            out.append(token + " \x02" if plain else token)
    return [t.removesuffix(" \x02") for t in out]


def parse(raw: str, lexicon: Lexicon | Glossary, *, phrases: bool = True) -> ParsedQuery:
    """Read a query; `phrases=False` reads known phrases of several words word by word."""
    if isinstance(lexicon, Glossary):
        lexicon = Lexicon(lexicon)
    text = normalise(raw)
    simplified = to_simplified(text)

    # Quoted phrases and amounts become placeholders, so the operators around them read.
    slots: list[tuple[str, object]] = []

    def hold(kind: str, value: object) -> str:
        slots.append((kind, value))
        return f" {_PLACEHOLDER}{len(slots) - 1}{_PLACEHOLDER} "

    body = _QUOTED.sub(
        lambda m: hold("phrase", next(g for g in m.groups() if g is not None)), simplified
    )
    found = amounts.find(body, bare=True)
    for amount in reversed(found):
        body = body[: amount.start] + hold("amount", amount) + body[amount.end :]
    body = re.sub(rf"-\s+(?={_PLACEHOLDER})", "-", body)

    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    dropped: list[str] = []
    join_next = False
    for token in _runs(body.split()):
        if token in ("OR", "|", "或"):
            join_next = bool(clauses)
            continue
        negate = token.startswith("-") and len(token) > 1
        if negate:
            token = token.lstrip("-")
        terms: list[Term] = []
        for part in re.split(rf"({_PLACEHOLDER}\d+{_PLACEHOLDER})", token):
            if part.startswith(_PLACEHOLDER):
                kind, value = slots[int(part.strip(_PLACEHOLDER))]
                if kind == "amount":
                    amount: amounts.Amount = value  # type: ignore[assignment]
                    terms.append(Term(amount.token, [_amount_alt(amount)]))
                elif (term := _phrase_term(str(value))) is not None:
                    terms.append(term)
            elif part:
                terms += _chunk_terms(part, lexicon, dropped, phrases=phrases)
        if negate:
            excluded += [_widened(t, lexicon) for t in terms]
            join_next = False
            continue
        for i, term in enumerate(terms):
            if join_next and i == 0 and clauses:
                clauses[-1].append(term)
            else:
                clauses.append([term])
        join_next = False
    if not clauses and dropped and not excluded:
        # Only fillers ("how", "有没有"): search for them after all rather than for nothing.
        clauses = [[Term(w, _en_alts(w, lexicon) if not _CJK_CHAR.search(w) else [Alt(OWN, _zh_word(w))])] for w in dropped]  # fmt: skip
        dropped = []
    clauses = clauses[:MAX_TERMS]

    zh_terms, en_words = [], []
    for term in [t for c in clauses for t in c]:
        if _CJK_CHAR.search(term.text):
            zh_terms.append(term.text)
        elif not term.text.startswith(("cny", "cnt", "pct")) or not term.text[3:4].isdigit():
            en_words.append(term.text)
    return ParsedQuery(
        text, clauses, excluded, list(dict.fromkeys(zh_terms)), " ".join(en_words), dropped
    )


def phrase_filter(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """SQL on t (a measure text) requiring each quoted Chinese phrase as written."""
    sql, params = [], []
    for clause in parsed.clauses:
        term = clause[0]
        if len(clause) == 1 and term.phrase:  # a phrase in an OR clause is not required
            sql.append(
                "(strpos(t.title || ' ' || t.text, %s) > 0 OR strpos(t.title || ' ' || t.text, %s) > 0)"
            )
            params += [term.phrase, to_traditional(term.phrase)]
    return " AND ".join(sql), params
