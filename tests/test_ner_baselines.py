"""The committed comparison backends (numpy BiLSTM-CRF, ensemble) run and stay bounded."""
from __future__ import annotations

import pytest

from pipeline.paths import default_model_dir
from pipeline.recognize.model import EntityRecognizer

BASELINES = default_model_dir() / "baselines"
SENTENCES = [
    "قال الرئيس الامريكي جورج بوش في واشنطن امس ان الولايات المتحدة ستواصل دعم العراق".split(),
    "وفاز نادي ارسنال الانجليزي علي ليون الفرنسي في دوري ابطال اوروبا".split(),
    "واعلنت منظمة التعاون الاسلامي في جدة عن اجتماع وزراء الخارجية الشهر المقبل".split(),
]


def needs(name):
    return pytest.mark.skipif(not (BASELINES / name / "meta.json").exists(),
                              reason=f"no committed baseline {BASELINES / name}")


@needs("bilstm")
def test_bilstm_word_cache_overflow_keeps_results():
    """The per-word-type cache is cleared when full; a batch with more new words than the cap still tags."""
    reference = EntityRecognizer(BASELINES / "bilstm").predict(SENTENCES)
    small = EntityRecognizer(BASELINES / "bilstm")
    small.backend.cache_size = 5  # far fewer than the word types of one batch
    assert small.predict(SENTENCES) == reference
    assert small.predict(SENTENCES) == reference  # and again after the cache was cleared
    assert len(small.backend._cache) <= 5
    assert any(span[2] == "LOC" for spans in reference for span in spans)


@needs("ensemble")
def test_ensemble_tags_with_scores():
    rec = EntityRecognizer(BASELINES / "ensemble")
    preds = rec.predict(SENTENCES)
    assert len(preds) == len(SENTENCES)
    labels = {s[2] for p in preds for s in p}
    assert {"PER", "LOC"} <= labels
    assert all(0.0 < s[3] <= 1.0 for p in preds for s in p)
