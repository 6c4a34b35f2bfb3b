"""DATE recognizer: the suite of expressions in context, the stage contract, the reference document."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.recognize.dates import DateRecognizer, find_dates, parse_reference_date

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "tests" / "data" / "dates_suite.jsonl"
SHARED = ROOT.parent / "shared" / "data"
CASES = [json.loads(line) for line in SUITE.open(encoding="utf-8") if line.strip()]
POSITIVE = [c for c in CASES if c["expression"] is not None]
NEGATIVE = [c for c in CASES if c["expression"] is None]


def _id(c: dict) -> str:
    return (c["expression"] or "NOT:" + c["decoy"]) + ("" if c.get("reference_date") else " (no ref)")


def test_suite_size():
    assert len(CASES) >= 150
    assert len(NEGATIVE) >= 30


@pytest.mark.parametrize("case", POSITIVE, ids=[_id(c) for c in POSITIVE])
def test_suite_positive(case):
    ctx, expr = case["context"], case["expression"]
    ents = find_dates(ctx, parse_reference_date(case.get("reference_date")))
    for e in ents:
        assert e.label == "DATE" and e.source == "rule" and 0.0 <= e.score <= 1.0
        assert "granularity" in e.attrs
    start = ctx.index(expr)
    hits = [e for e in ents if (e.start, e.end) == (start, start + len(expr))]
    assert hits, f"span {expr!r} not found; got {[(ctx[e.start:e.end], e.value) for e in ents]}"
    assert ctx[hits[0].start:hits[0].end] == expr
    assert hits[0].value == case["value"]


@pytest.mark.parametrize("case", NEGATIVE, ids=[_id(c) for c in NEGATIVE])
def test_suite_negative(case):
    ctx, decoy = case["context"], case["decoy"]
    i = ctx.index(decoy)
    ents = find_dates(ctx, parse_reference_date(case.get("reference_date")))
    bad = [(ctx[e.start:e.end], e.value) for e in ents if e.start < i + len(decoy) and i < e.end]
    assert not bad, f"{decoy!r} taken as a date: {bad}"


def test_hijri_attrs():
    [e] = find_dates("وتحرى المسلمون ليلة القدر في 15 رمضان 1445 هـ وما بعده.")
    assert e.value == "2024-03-25"
    assert e.attrs["hijri"] == "1445-09-15" and e.attrs["granularity"] == "day"
    [e] = find_dates("صدر التقرير في ذو القعدة 1436 عن الوزارة")
    assert e.attrs["hijri"] == "1436-11" and e.attrs["granularity"] == "month"


def test_offsets_map_back_through_diacritics_and_tatweel():
    text = "وأُعلن في ٧ يـونـيـو ٢٠٢٤ عن الاتفاق، وفي الـ١٥ من أغسطس ٢٠٢١ أيضاً"
    ents = find_dates(text)
    got = [(text[e.start:e.end], e.value) for e in ents]
    assert got == [("٧ يـونـيـو ٢٠٢٤", "2024-06-07"), ("الـ١٥ من أغسطس ٢٠٢١", "2021-08-15")]


def test_stage_appends_candidates_with_published_date():
    doc = Document("وصل الوفد أمس إلى الرياض، وسيغادر في 7 يونيو 2024.", id="d1", meta={"published": "2024-06-03T10:00:00"})
    doc.candidates.append("sentinel")  # the stage appends, never replaces
    out = DateRecognizer()(doc)
    assert out is doc and doc.candidates[0] == "sentinel"
    ents = doc.candidates[1:]
    assert [(doc.text[e.start:e.end], e.value) for e in ents] == [("أمس", "2024-06-02"), ("7 يونيو 2024", "2024-06-07")]
    assert all(e.label == "DATE" and e.source == "rule" for e in ents)
    assert doc.entities == [] and doc.normalized is not None


@pytest.mark.parametrize("published", [None, "", "not a date", 12])
def test_stage_without_usable_reference(published):
    doc = Document("وصل الوفد أمس إلى الرياض في 7 يونيو 2024.", meta={"published": published})
    DateRecognizer()(doc)
    assert [(doc.text[e.start:e.end], e.value) for e in doc.candidates] == [("أمس", None), ("7 يونيو 2024", "2024-06-07")]


def test_stage_reference_override_and_date_objects():
    doc = Document("تبدأ المحادثات الأسبوع المقبل.", meta={"published": "2020-01-01"})
    DateRecognizer(reference_date=dt.date(2024, 6, 3))(doc)
    assert doc.candidates[0].value == "2024-W24"
    doc = Document("تبدأ المحادثات الأسبوع المقبل.", meta={"published": dt.datetime(2024, 6, 3, 23, 0)})
    DateRecognizer()(doc)
    assert doc.candidates[0].value == "2024-W24"


def test_parse_reference_date_lenient():
    assert parse_reference_date("2015-07-21 02:51:32") == dt.date(2015, 7, 21)
    assert parse_reference_date("٢٠١٥/٠٧/٢١") == dt.date(2015, 7, 21)
    assert parse_reference_date(dt.date(2015, 7, 21)) == dt.date(2015, 7, 21)
    assert parse_reference_date("2015-02-30") is None
    assert parse_reference_date(None) is None


def test_empty_and_dateless_text():
    assert find_dates("") == []
    assert find_dates("قال الوزير إن المفاوضات مستمرة بين الطرفين.") == []


def test_month_names_cover_cldr():
    babel_dates = pytest.importorskip("babel.dates")
    from pipeline.normalize import normalize_text
    from pipeline.recognize import date_lexicon as L

    ours = {normalize_text(w): m for m, ws in L.GREGORIAN_MONTHS.items() for w in ws}
    for loc in ("ar", "ar_EG", "ar_SA", "ar_SY", "ar_IQ", "ar_LB", "ar_JO", "ar_PS", "ar_DZ", "ar_TN", "ar_MA", "ar_LY", "ar_MR"):
        for num, name in babel_dates.get_month_names("wide", locale=loc).items():
            assert ours.get(normalize_text(name)) == num, (loc, name)


def test_import_is_light():
    code = ("import sys, pipeline.recognize.dates; "
            "bad = [m for m in ('dateparser', 'spacy', 'torch') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.shared
def test_reference_document():
    src = SHARED / "examples" / "kazakhstan_oic_2024.txt"
    if not src.exists():
        pytest.skip("../shared/data absent: reference document not available")
    gold = json.loads((SHARED / "examples" / "kazakhstan_oic_2024.gold.json").read_text(encoding="utf-8"))
    text = src.read_text(encoding="utf-8")
    doc = Document(text, id="kazakhstan_oic_2024", meta={"published": gold.get("published")})
    DateRecognizer()(doc)
    found = {(text[e.start:e.end], e.value) for e in doc.candidates}
    for e in doc.candidates:
        assert text[e.start:e.end] == e.canonical or e.canonical is None
    expected = {(g["text"], g["value"]) for g in gold["entities"] if g["type"] == "DATE"}
    assert expected <= found, expected - found
    assert len(found) == len(expected), found - expected


@pytest.mark.shared
def test_wojood_dev_f1():
    if not (SHARED / "ner" / "wojood_sample" / "val.txt").exists():
        pytest.skip("../shared/data absent: Wojood sample not available")
    from pipeline.evaluation.dates import eval_wojood

    res = eval_wojood("val", use_dateparser=False)
    p, r, f, _, _ = res["ours"]["edges"]
    assert f >= 0.85, res


def test_trie_pattern_matches_exactly_its_words():
    import regex

    from pipeline.recognize.dates import _trie_pattern

    words = ["شهر", "شهري", "شهور", "عام", "عامي", "ا", "اب", "ابريل", "x.y"]
    rx = regex.compile(_trie_pattern(words))
    for w in words:
        assert rx.fullmatch(w), w
    for w in ["", "شه", "شهرين", "عا", "ابر", "xzy", "x.", "ابريلا"]:
        assert not rx.fullmatch(w), w


def test_anchor_parts_merge_like_one_alternation():
    """_anchors must give what finditer of the parts' alternation gives (priority by part, no overlaps)."""
    import random

    import regex

    from pipeline.recognize.dates import _ANCHOR_PARTS, _ANCHOR_WORDS, _anchors

    one = regex.compile("|".join(f"(?P<{name}_>{rx.pattern})" for name, rx in _ANCHOR_PARTS))
    rnd = random.Random(7)
    pieces = list("0123456789 /-.\n،وفبلكال") + list(_ANCHOR_WORDS) + ["الجاري", "الثمانينات", "ينات", "للعام", "2024"]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25))) for _ in range(3000)]
    texts.append("في 12/3/2024 و1990ينات 5 الجاري والثمانينيات ولعام 2020م وشهري مارس")
    for text in texts:
        want = [(m.lastgroup[:-1], m.span()) for m in one.finditer(text)]
        assert [(name, m.span()) for name, m in _anchors(text)] == want, text
