from pipeline.document import Document, Entity
from pipeline.recognize.appositions import TitleAppositionRule
from pipeline.tokenize import Tokenizer


def run(text, spans):
    """spans: (substring, label, source) candidates before the rule."""
    doc = Tokenizer()(Document(text))
    for sub, label, source in spans:
        i = text.index(sub)
        doc.candidates.append(Entity(i, i + len(sub), label, 0.9, source))
    TitleAppositionRule()(doc)
    return {(doc.text[c.start:c.end], c.label) for c in doc.candidates}


def test_word_between_title_phrase_and_name_joins_the_name():
    text = "عقد سفير كازاخستان لدى مصر خيرات لاما شريف اجتماعا"
    got = run(text, [("كازاخستان", "LOC", "model"), ("مصر", "LOC", "gazetteer"), ("لاما شريف", "PER", "model")])
    assert ("خيرات لاما شريف", "PER") in got
    text = "وقال وزير خارجية الأردن أيمن الصفدي"
    assert ("أيمن الصفدي", "PER") in run(text, [("الأردن", "LOC", "model"), ("الصفدي", "PER", "model")])


def test_no_extension_without_a_title_phrase():
    cases = [
        ("وصل وفد من مصر خيرات لاما شريف", [("مصر", "LOC", "model"), ("لاما شريف", "PER", "model")]),
        ("سفير كازاخستان في لاما شريف", [("كازاخستان", "LOC", "model"), ("لاما شريف", "PER", "model")]),  # في is a function word
        ("سفير مصر\nخيرات لاما شريف", [("مصر", "LOC", "model"), ("لاما شريف", "PER", "model")]),  # another line
        ("قال سفير الخيرات لاما شريف", [("لاما شريف", "PER", "model")]),  # no place in the phrase
        ("سفير كازاخستان لدى مصر خيرات لاما", [("كازاخستان", "LOC", "model"), ("مصر", "LOC", "model"),
                                              ("لاما", "PER", "gazetteer")]),  # only model names are extended
    ]
    for text, spans in cases:
        got = run(text, spans)
        assert not any(label == "PER" and t.startswith("خيرات") for t, label in got), text
