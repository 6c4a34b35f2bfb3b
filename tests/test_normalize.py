from hypothesis import given, settings, strategies as st

from pipeline.document import Document
from pipeline.normalize import NormalizedText, Normalizer, normalize_text


def test_folds_letters_digits_and_removes_marks():
    assert normalize_text("أإآٱ") == "اااا"
    assert normalize_text("مستشفى الجامعة") == "مستشفي الجامعه"
    assert normalize_text("اجتماعًا") == "اجتماعا"
    assert normalize_text("جـــمـيـل") == "جميل"
    assert normalize_text("٧ يونيو ٢٠٢٤") == "7 يونيو 2024"
    assert normalize_text("۱۴۰۲") == "1402"  # Persian digits
    assert normalize_text("الإسلامی بین") == "الاسلامي بين"  # Persian ya
    assert normalize_text("ﻻ ﷲ") == "لا الله"  # presentation forms
    assert normalize_text("a\u200fb\u200cc\ufeffd\u202be") == "abcde"  # bidi, zero-width, BOM
    assert normalize_text("x\x00y") == "x y"  # NUL becomes a space, never glues words


def test_offsets_map_back_to_original():
    original = "بِالقَاهِرَةِ ـــ ﻻ ١٢٣\u200fمصر"
    norm = NormalizedText.build(original)
    assert norm.text == "بالقاهره  لا 123مصر"
    i = norm.text.index("لا")
    start, end = norm.to_original(i, i + 2)
    assert original[start:end] == "ﻻ"  # one presentation-form char expands to two
    i = norm.text.index("مصر")
    start, end = norm.to_original(i, i + 3)
    assert original[start:end] == "مصر"  # the RLM before it is not part of it
    start, end = norm.to_original(0, len("بالقاهره"))
    assert original[start:end] == "بِالقَاهِرَةِ"  # trailing diacritic stays with its word


def test_identity_map_when_nothing_changes_length():
    norm = NormalizedText.build("منظمة التعاون")
    assert norm.offsets is None
    assert norm.to_original(0, 5) == (0, 5)


def test_stage_is_idempotent_and_keeps_original():
    doc = Document("القاهرةُ")
    Normalizer()(doc)
    first = doc.normalized
    Normalizer()(doc)
    assert doc.normalized is first and doc.text == "القاهرةُ"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc دمصرالقاهرةُ ًٌـ٣۴\u200f\u200c\ufeffﻻﷲ\x00\n")) | st.characters(), max_size=80))
def test_every_normalized_char_maps_into_the_original(text):
    norm = NormalizedText.build(text)
    assert norm.text == normalize_text(text)
    for i in range(len(norm.text)):
        start, end = norm.to_original(i, i + 1)
        assert 0 <= start < end <= len(text)
        # the normalized char comes from folding the original char it maps to
        assert norm.text[i] in normalize_text(text[start])


def test_shipped_table_is_the_derived_one():
    """normalize_table.py is precomputed from camel-tools: it must agree with a fresh derivation."""
    from pipeline.normalize import derive_translation_table
    from pipeline.normalize_table import TABLE

    assert TABLE == derive_translation_table()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abé دمصرالقاهرةُ ًٌـ٣۴\u200f\u200c\ufeffﻻﷲﷺ\x00\n\u0301")) | st.characters(), max_size=120))
def test_offsets_and_ends_match_a_per_character_reference(text):
    import regex

    from pipeline.normalize import translation_table

    table = translation_table()
    norm = NormalizedText.build(text)
    want = [i for i, ch in enumerate(text) for _ in table.get(ord(ch), ch)]
    assert (list(norm.offsets) if norm.offsets is not None else list(range(len(text)))) == want
    for nend in range(len(norm.text) + 1):
        end = want[nend - 1] + 1 if nend else 0
        while norm.offsets is not None and nend and end < len(text) and regex.match(r"[\p{Mn}\u0640]", text[end]):
            end += 1
        assert norm.original_end(nend) == end == norm.to_original(0, nend)[1]


def test_long_texts_map_past_the_identity_cache(monkeypatch):
    import pipeline.normalize as N

    monkeypatch.setattr(N, "_IDENTITY_MAX", 8)
    text = "ﻻ" + "مصر" * 5 + "ـ" + "x" * 7
    norm = NormalizedText.build(text)
    assert list(norm.offsets) == [0, 0] + list(range(1, 16)) + list(range(17, 24))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab دمصرالقاهرةُ ًٌـ٣\u200fﻻ\n\u0301")) | st.characters(), max_size=60))
def test_spans_map_like_to_original(text):
    norm = NormalizedText.build(text)
    n = len(norm.text)
    spans = [(s, e) for s in range(n + 1) for e in range(s, n + 1)]
    assert norm.to_original_spans(spans) == [norm.to_original(s, e) for s, e in spans]
