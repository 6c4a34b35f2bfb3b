from hypothesis import given, settings, strategies as st

from pipeline.document import Document
from pipeline.tokenize import Tokenizer


def tokens(text, **kw):
    doc = Tokenizer(**kw)(Document(text))
    return doc, [doc.token_text(t) for t in doc.tokens]


def test_punctuation_split_and_numbers_kept_whole():
    _, toks = tokens("في 7 يونيو 2024. وبلغ 3.5% من 1,000 في 07/06/2024 و2025-2028")
    assert toks == ["في", "7", "يونيو", "2024", ".", "وبلغ", "3.5", "%", "من", "1,000", "في", "07/06/2024",
                    "و", "2025-2028"]


def test_token_offsets_point_into_original_with_marks_and_tatweel():
    text = "اجتماعًا مع الـــرئيس\u200f،  بالقاهرةِ"
    doc, toks = tokens(text)
    assert toks == ["اجتماعًا", "مع", "الـــرئيس", "،", "بالقاهرةِ"]
    assert [t.norm for t in doc.tokens] == ["اجتماعا", "مع", "الرئيس", "،", "بالقاهره"]


def test_sentences_end_at_punctuation_and_line_breaks():
    doc, _ = tokens("جملة أولى. جملة ثانية؟ ثالثة\nرابعة بلا نقطة")
    texts = [doc.text[s.start:s.end] for s in doc.sentences]
    assert texts == ["جملة أولى.", "جملة ثانية؟", "ثالثة", "رابعة بلا نقطة"]
    assert doc.sentence_index(doc.text.index("ثانية")) == 1


def test_the_dots_of_a_spelled_acronym_end_no_sentence():
    doc, _ = tokens("أصدرت “إف. بي. آي” مذكرة. وقالت بي.بي.سي إن الرئيس وصل إلى بي. ثم عاد")
    texts = [doc.text[s.start:s.end] for s in doc.sentences]
    assert texts == ["أصدرت “إف. بي. آي” مذكرة.", "وقالت بي.بي.سي إن الرئيس وصل إلى بي.", "ثم عاد"]
    doc, _ = tokens("انتهى اللقاء في. بي")  # a dot after a space-separated letter word: one letter is no acronym
    assert len(doc.sentences) == 2


def test_run_on_sentence_is_cut():
    doc, _ = tokens(" ".join(["كلمة"] * 450), max_sentence_tokens=200)
    assert [s.last_token - s.first_token for s in doc.sentences] == [200, 200, 50]


def test_clitic_segmentation_gives_offsets_for_each_piece():
    doc, toks = tokens("وبالقاهرة ذهب", segment_clitics=True)
    assert toks == ["و", "ب", "القاهرة", "ذهب"]
    assert [t.norm for t in doc.tokens] == ["و", "ب", "القاهره", "ذهب"]


def test_empty_and_whitespace_documents():
    for text in ["", "   \n\t "]:
        doc, toks = tokens(text)
        assert toks == [] and doc.sentences == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1 .،؟دمصر القاهرةُ ًـ٣\u200f\u200c\ufeffﻻ\x00\n-/")) | st.characters(), max_size=120),
       st.booleans())
def test_offsets_are_exact_for_any_text(text, segment):
    doc = Tokenizer(segment_clitics=segment)(Document(text))
    prev_end = 0
    for tok in doc.tokens:
        assert prev_end <= tok.start < tok.end <= len(text)
        assert doc.text[tok.start:tok.end].strip() != ""
        prev_end = tok.end
    for sent in doc.sentences:
        assert sent.first_token < sent.last_token
        assert sent.start == doc.tokens[sent.first_token].start and sent.end == doc.tokens[sent.last_token - 1].end
