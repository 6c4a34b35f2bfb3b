"""The shipped ensemble and its numpy BiLSTM-CRF member run, agree with their parts and stay bounded."""
from __future__ import annotations

import pytest

from pipeline.paths import default_model_dir
from pipeline.recognize.model import EntityRecognizer

MODEL = default_model_dir()
SENTENCES = [
    "قال الرئيس الامريكي جورج بوش في واشنطن امس ان الولايات المتحدة ستواصل دعم العراق".split(),
    "وفاز نادي ارسنال الانجليزي علي ليون الفرنسي في دوري ابطال اوروبا".split(),
    "واعلنت منظمة التعاون الاسلامي في جدة عن اجتماع وزراء الخارجية الشهر المقبل".split(),
]


def needs(path):
    return pytest.mark.skipif(not (path / "meta.json").exists(), reason=f"no model in {path}")


def is_ensemble():
    import json

    meta = MODEL / "meta.json"
    return meta.exists() and json.loads(meta.read_text(encoding="utf-8")).get("backend") == "ensemble"


@needs(MODEL / "bilstm")
def test_bilstm_word_cache_overflow_keeps_results():
    """The per-word-type cache is cleared when full; a batch with more new words than the cap still tags."""
    reference = EntityRecognizer(MODEL / "bilstm").predict(SENTENCES)
    small = EntityRecognizer(MODEL / "bilstm")
    small.backend.cache_size = 5  # far fewer than the word types of one batch
    assert small.predict(SENTENCES) == reference
    assert small.predict(SENTENCES) == reference  # and again after the cache was cleared
    assert len(small.backend._cache) <= 5
    assert any(span[2] == "LOC" for spans in reference for span in spans)


@pytest.mark.skipif(not is_ensemble(), reason="the shipped model is not an ensemble")
def test_ensemble_tags_with_scores_and_shares_the_featurizer():
    rec = EntityRecognizer(MODEL)
    preds = rec.predict(SENTENCES)
    assert len(preds) == len(SENTENCES)
    labels = {s[2] for p in preds for s in p}
    assert {"PER", "LOC"} <= labels
    assert all(0.0 < s[3] <= 1.0 for p in preds for s in p)
    featurizers = {id(b.featurizer) for b, _ in rec.backend.members}
    assert len(featurizers) == 1  # members trained on one lexicon: word features computed once
