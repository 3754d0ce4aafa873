"""The cleaning and splitting stages on arbitrary text: no crash, no lost text, the same
answer every time, and measure spans that lie in the cleaned text in order."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from documents.pipeline import clean, detect_language, find_title, split
from documents.pipeline.clean import normalize

# Derandomized: the same examples on every run (a failure is reproducible).
FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True)

# Lines that look like notices: numbering in every style the splitter knows, with Chinese,
# English and junk bodies, so the generator reaches the interesting branches.
MARKERS = st.sampled_from(
    ["一、", "（二）", "第三条", "4.", "5、", "6 ", "(7)", "⑧", "IX.", "Article 10 ", "First, ",
     "一是", "", "", "", "2023-05-01 ", "来源：", "编辑：", "| a | b | c"]
)  # fmt: skip
BODIES = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="企业融资担保支持中小。，；、（）资金万元亿%", max_size=60),
    st.text(alphabet="abcdefg xyz,.;:()-\"'", max_size=60),
    st.sampled_from(["企業(yè)发展", "pressure testing machine for", "版权所有", "?"]),
)
LINES = st.lists(st.tuples(MARKERS, BODIES).map("".join), max_size=40)
CN = "零一二三四五六七八九十"
STYLES = ["{n}.", "{n}、", "（{cn}）", "第{cn}条", "{cn}、", "({n})", "Article {n} "]


@st.composite
def numbered(draw) -> str:
    """A numbered list (sometimes with sections, gaps and junk lines between items)."""
    style, inner = draw(st.sampled_from(STYLES)), draw(st.sampled_from(STYLES))
    lines, value = [draw(BODIES)], 0
    for _ in range(draw(st.integers(1, 12))):
        value += draw(st.sampled_from([1, 1, 1, 2, 4]))
        cn = CN[value] if value <= 10 else "十" + CN[value - 10] if value < 20 else str(value)
        lines.append(style.format(n=value, cn=cn) + draw(BODIES))
        if draw(st.booleans()):
            lines.append(inner.format(n=1, cn="一") + draw(BODIES))
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "版权所有 ©2023", "扫一扫 分享"])))
    return "\n".join(lines)


NOTICES = st.one_of(st.text(), LINES.map("\n".join), LINES.map("\r\n".join), numbered())


def visible(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


@given(NOTICES)
@FUZZ
def test_cleaning_keeps_or_reports_every_character(text):
    cleaned = clean(text)
    kept = visible(cleaned.text) + sum((visible(piece) for piece in cleaned.removed), Counter())
    # Cleaning may drop whitespace; every other character is in the text or in `removed`.
    assert kept == visible(normalize(text))


@given(NOTICES)
@FUZZ
def test_cleaning_is_deterministic_and_idempotent_on_its_characters(text):
    first, second = clean(text), clean(text)
    assert first == second
    assert "\r" not in first.text


@given(NOTICES, st.sampled_from(["zh", "en"]))
@FUZZ
def test_measure_spans_lie_in_the_cleaned_text_in_order_without_overlap(text, language):
    cleaned = clean(text).text
    title = find_title(cleaned.split("\n"))
    result = split(cleaned, language=language, title=title, has_targets=lambda p: "万元" in p)
    previous_end = 0
    for measure in result.measures:
        assert 0 <= measure.start <= measure.end <= len(cleaned)
        assert measure.start >= previous_end, "measures overlap or are out of order"
        assert measure.text == cleaned[measure.start : measure.end]
        previous_end = measure.end
    assert split(cleaned, language=language, title=title, has_targets=lambda p: "万元" in p) == (
        result
    )


@given(NOTICES)
@FUZZ
def test_language_detection_answers_for_any_text(text):
    language, script = detect_language(clean(text).text)
    assert language in ("zh", "en") and script
