import pytest

from pipeline.document import Document
from pipeline.recognize.gazetteer import Gazetteer, GazetteerRecognizer, entry_words


def test_longest_match_with_proclitics():
    gaz = Gazetteer([(entry_words("كازاخستان"), "LOC", 0.9), (entry_words("منظمة التعاون الإسلامي"), "ORG", 0.8),
                     (entry_words("منظمة"), "ORG", 0.2)])
    words = [w for w in "لدى وكازاخستان و منظمة التعاون الإسلامي".replace("ة", "ه").replace("إ", "ا").split()]
    assert gaz.match(words) == [(1, 2, "LOC", 0.9), (3, 6, "ORG", 0.8)]


def test_stage_on_shipped_gazetteer():
    doc = GazetteerRecognizer()(Document("التقى سفير كازاخستان بالقاهرة مع وفد من مصر"))
    found = {(doc.text[e.start:e.end], e.label) for e in doc.candidates}
    assert {("كازاخستان", "LOC"), ("بالقاهرة", "LOC"), ("مصر", "LOC")} <= found
    assert all(0 < e.score <= 1 and e.source == "gazetteer" for e in doc.candidates)


def test_missing_or_malformed_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make train"):
        Gazetteer.load(tmp_path / "nope.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("مصر\tLOC\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        Gazetteer.load(bad)
