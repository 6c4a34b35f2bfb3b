import pickle

import pytest

from pipeline import Document, Entity, Pipeline
from pipeline.pipeline import build_stage, default_config, register_stage
from pipeline.table import MENTION_COLUMNS, mention_rows


class TagWord:
    """Test-only recognizer: tags every occurrence of one word."""

    name = "tag_word"

    def __init__(self, word: str, label: str = "LOC"):
        self.word, self.label = word, label

    def __call__(self, doc):
        for tok in doc.tokens:
            if tok.norm.endswith(self.word):
                doc.candidates.append(Entity(tok.start, tok.end, self.label, 0.7, "model"))
        return doc


register_stage("tag_word", TagWord)
CONFIG = {"stages": [{"name": "normalizer"}, {"name": "tokenizer"}, {"name": "tag_word", "word": "القاهره"},
                     {"name": "finisher", "types": ["LOC"]}]}


def test_pipeline_from_plain_config_and_table():
    nlp = Pipeline.from_config(CONFIG)
    assert nlp.stage_names == ["normalizer", "tokenizer", "tag_word", "finisher"]
    doc = nlp("وصل الوفد إلى القاهرة.\nثم غادر بالقاهرةِ", id="d1", meta={"source": "x"})
    rows = mention_rows(doc, keep_fields=["source"])
    assert [(r["text"], r["start"], r["sentence_id"], r["doc_source"]) for r in rows] == [
        ("القاهرة", 14, 0, "x"), ("القاهرةِ", 32, 1, "x")]
    assert list(rows[0])[: len(MENTION_COLUMNS)] == list(MENTION_COLUMNS)
    pickle.dumps(nlp.config)  # engines ship the config, not the objects


def test_to_frame_takes_strings_records_and_documents():
    nlp = Pipeline.from_config(CONFIG)
    frame = nlp.to_frame([{"id": "a", "text": "في القاهرة", "url": "u"}, "القاهرة", Document("لا شيء", id="c")],
                         keep_fields=["url"])
    assert list(frame["doc_id"]) == ["a", "1"]
    assert frame["url"].iloc[0] == "u" and frame["url"].isna().iloc[1]
    with pytest.raises(KeyError, match="no text field"):
        nlp.to_frame([{"body": "x"}])


def test_pipe_equals_call():
    nlp = Pipeline.from_config(CONFIG)
    texts = [f"القاهرة {i}" for i in range(5)]
    piped = [[(e.start, e.end) for e in d.entities] for d in nlp.pipe(texts, batch_size=2)]
    assert piped == [[(e.start, e.end) for e in nlp(t).entities] for t in texts]


def test_unknown_stage_and_default_config():
    with pytest.raises(ValueError, match="unknown stage"):
        build_stage("nope")
    names = [s["name"] for s in default_config()["stages"]]
    assert names == ["normalizer", "tokenizer", "ner", "gazetteer", "org_phrases", "place_heads", "appositions", "dates",
                     "finisher"]
    assert [s["name"] for s in default_config(types=["DATE"])["stages"]] == [
        "normalizer", "tokenizer", "dates", "finisher"]


def test_kept_field_never_replaces_a_core_column():
    nlp = Pipeline.from_config(CONFIG)
    doc = nlp("في القاهرة", id="a", meta={"source": "okaz", "url": "u"})
    row = mention_rows(doc, keep_fields=["source", "url"])[0]
    assert (row["source"], row["doc_source"], row["url"]) == ("model", "okaz", "u")
