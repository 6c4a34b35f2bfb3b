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
