"""pipeline.extract_frame: DataFrame of documents -> mention table; works with df.pipe."""
import subprocess
import sys

import pandas as pd
import pytest

import pipeline
from pipeline import Entity, Pipeline
from pipeline.pipeline import register_stage
from pipeline.table import MENTION_COLUMNS


class TagCairo:
    name = "tag_cairo"

    def __call__(self, doc):
        for tok in doc.tokens:
            if tok.norm.endswith("القاهره"):
                doc.candidates.append(Entity(tok.start, tok.end, "LOC", 0.8, "model"))
        return doc


register_stage("tag_cairo", TagCairo)
LIGHT = Pipeline.from_config({"stages": [{"name": "normalizer"}, {"name": "tokenizer"}, {"name": "tag_cairo"},
                                         {"name": "finisher", "types": ["LOC"]}]})


@pytest.fixture
def articles():
    return pd.DataFrame({
        "article_id": [10, 11, 12, 13],
        "body": ["وصل الوفد إلى القاهرة أمس.", None, "لا شيء هنا", "من القاهرة إلى بالقاهرة"],
        "site": ["a", "b", "c", "d"],
    })


def test_extract_frame_columns_ids_and_keep(articles):
    frame = pipeline.extract_frame(articles, text_col="body", id_col="article_id", keep="site", nlp=LIGHT)
    assert list(frame.columns)[: len(MENTION_COLUMNS)] == list(MENTION_COLUMNS)
    assert list(frame.columns)[-1] == "site"
    assert list(frame["doc_id"]) == [10, 13, 13]
    assert frame["doc_id"].dtype == articles["article_id"].dtype  # merges back onto the input
    assert list(frame["text"]) == ["القاهرة", "القاهرة", "القاهرة"]
    assert list(frame["site"]) == ["a", "d", "d"]
    body = articles.set_index("article_id")["body"]
    for row in frame.itertuples():
        assert body[row.doc_id][row.start:row.end] == row.text
    merged = frame.merge(articles, left_on="doc_id", right_on="article_id")
    assert len(merged) == 3


def test_works_with_df_pipe_and_index_ids(articles):
    indexed = articles.set_index("article_id")
    via_pipe = indexed.pipe(pipeline.extract_frame, text_col="body", nlp=LIGHT)
    direct = pipeline.extract_frame(indexed, text_col="body", nlp=LIGHT)
    pd.testing.assert_frame_equal(via_pipe, direct)
    assert list(via_pipe["doc_id"]) == [10, 13, 13]


def test_empty_and_bad_input(articles):
    empty = pipeline.extract_frame(articles.iloc[:0], text_col="body", id_col="article_id", nlp=LIGHT)
    assert empty.empty and list(empty.columns)[: len(MENTION_COLUMNS)] == list(MENTION_COLUMNS)
    with pytest.raises(KeyError, match="'text'"):
        pipeline.extract_frame(articles, nlp=LIGHT)
    with pytest.raises(ValueError, match="duplicate"):
        pipeline.extract_frame(pd.DataFrame({"text": ["a", "b"], "id": [1, 1]}), id_col="id", nlp=LIGHT)
    with pytest.raises(TypeError, match="DataFrame"):
        pipeline.extract_frame(["نص"], nlp=LIGHT)


def test_import_pipeline_stays_light():
    code = "import sys, pipeline; print('pandas' in sys.modules, 'spacy' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


def test_default_pipeline_end_to_end():
    from pipeline.paths import default_model_dir

    if not (default_model_dir() / "meta.json").exists():
        pytest.skip(f"the shipped NER model is absent ({default_model_dir()}); run `make train`")
    df = pd.DataFrame({"id": ["k1"], "text": ["عقد سفير كازاخستان لدى مصر اجتماعا في القاهرة في 7 يونيو 2024"]})
    frame = df.pipe(pipeline.extract_frame)
    got = set(zip(frame["type"], frame["text"]))
    assert ("LOC", "القاهرة") in got and ("DATE", "7 يونيو 2024") in got
    assert frame.loc[frame["type"] == "DATE", "value"].iloc[0] == "2024-06-07"
