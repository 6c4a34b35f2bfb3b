"""Dirty text through the whole default pipeline: offsets stay exact, nothing crashes."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline import Pipeline
from pipeline.table import mention_rows

SENTENCE = "عقد سفير كازاخستان لدى مصر خيرات لاما شريف اجتماعا مع منظمة التعاون الإسلامي بالقاهرة في 7 يونيو 2024."


@pytest.fixture(scope="module")
def nlp():
    return Pipeline.default(types=["PER", "ORG", "LOC", "DATE", "MISC"])


def check(doc):
    """The invariants every document keeps, whatever its text."""
    text = doc.text
    for tok in doc.tokens:
        assert 0 <= tok.start < tok.end <= len(text)
        assert text[tok.start:tok.end].strip()
    prev_end = 0
    for e in doc.entities:
        assert prev_end <= e.start < e.end <= len(text)  # sorted, non-overlapping
        assert 0.0 <= e.score <= 1.0
        assert e.canonical
        prev_end = e.end
    for row in mention_rows(doc):
        assert text[row["start"]:row["end"]] == row["text"]


CASES = {
    "crlf": SENTENCE.replace(" ", "\r\n", 3),
    "lone_cr": SENTENCE.replace(" ", "\r", 3),
    "html": f"<p class=\"x\">{SENTENCE}</p>&nbsp;&amp;<br/>",
    "emoji_latin": f"🔥🇪🇬 Breaking: {SENTENCE} #مصر @user https://t.co/x 😀",
    "persian_urdu": SENTENCE.replace("ي", "ی").replace("ك", "ک") + " گزارش پژوهش ۱۴۰۲",
    "presentation_forms": "ﻻ ﷲ ﺍﻟﻘﺎﻫﺮﺓ " + SENTENCE,
    "tatweel_runs": SENTENCE.replace("ا", "ـــــا"),
    "diacritics_everywhere": "".join(c + "َ" if c.isalpha() else c for c in SENTENCE),
    "zero_width_bidi": SENTENCE.replace(" ", " \u200f\u200e\u200b\u200c\u202b\u2066"),
    "nul_bytes": SENTENCE.replace(" ", "\x00 ", 4),
    "empty": "",
    "whitespace_only": " \n\t\r\n  ",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dirty_text(nlp, name):
    doc = nlp(CASES[name], id=name)
    check(doc)
    if name not in ("empty", "whitespace_only"):
        assert any(e.label == "DATE" for e in doc.entities)


def test_invisible_marks_do_not_change_what_is_found(nlp):
    clean = {(e.label, e.canonical) for e in nlp(SENTENCE).entities}
    for name in ("tatweel_runs", "diacritics_everywhere", "zero_width_bidi", "persian_urdu"):
        dirty = {(e.label, e.canonical) for e in nlp(CASES[name]).entities}
        assert {d for d in dirty if d[0] == "DATE"} == {c for c in clean if c[0] == "DATE"}, name
        assert {c for c in clean if c[0] == "LOC"} <= dirty, name


@pytest.mark.slow
def test_five_megabyte_document(nlp):
    text = (SENTENCE + "\n") * (5_000_000 // len(SENTENCE))
    doc = nlp(text)
    check(doc)
    assert sum(e.label == "DATE" for e in doc.entities) == text.count("7 يونيو 2024")


def test_run_on_sentence_of_2000_words(nlp):
    words = ("الرئيس قال إن منظمة التعاون الإسلامي في القاهرة " * 300).split()[:2000]
    doc = nlp(" ".join(words))
    check(doc)
    assert len(doc.tokens) == 2000 and len(doc.sentences) >= 10


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SENTENCE.split() + ["\u200f", "ـ", "ً", "\x00", "\r", "ﻻ", "۴", "😀", "<b>", "&amp;",
                                                   "7", "يونيو", "2024", "عام", "بالقاهرة", "،", "."]) | st.text(max_size=5),
                max_size=40))
def test_random_mixtures_keep_offsets_exact(nlp, pieces):
    check(nlp("".join(p if i % 3 else p + " " for i, p in enumerate(pieces))))
