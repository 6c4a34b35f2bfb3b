"""The numpy CRF scorer gives crfsuite's own tags and marginals (same features, same weights)."""
from __future__ import annotations

import json
import random

import numpy as np
import pycrfsuite
import pytest

from pipeline.paths import default_model_dir
from pipeline.recognize.model import CRFBackend, Featurizer, Lexicon, to_bioes

SENTENCES = [
    ("قال الرئيس جورج بوش في واشنطن".split(), ["O", "O", "B-PER", "I-PER", "O", "B-LOC"]),
    ("وزار وزير الخارجية « الناس وانا » في لندن".split(), ["O", "O", "O", "O", "B-MISC", "I-MISC", "O", "O", "B-LOC"]),
    ("اعلنت منظمة التعاون الاسلامي".split(), ["O", "B-ORG", "I-ORG", "I-ORG"]),
    ("ولندن".split(), ["B-LOC"]),
    ("التقى محمد علي مع سفير فرنسا في القاهرة".split(), ["O", "B-PER", "I-PER", "O", "O", "B-LOC", "O", "B-LOC"]),
]


def train_tiny(tmp_path, features: dict, bioes: bool):
    """A small crfsuite model trained here on SENTENCES, in a model dir of its own."""
    lexicon = Lexicon(clusters={"بوش": ("7", "70"), "لندن": ("3", "30")}, gazetteer={"لندن": "LOC1"},
                      context={"سفير": "T1"})
    featurizer = Featurizer(lexicon, options=features)
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in SENTENCES:
        trainer.append(featurizer.sentence(words), to_bioes(tags) if bioes else tags)
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 50})
    trainer.train(str(tmp_path / "crf.model"))
    lexicon.save(tmp_path)
    meta = {"format_version": 1, "backend": "crf", "features": features}
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return CRFBackend(tmp_path, meta)


def assert_same_as_crfsuite(backend: CRFBackend, sentences):
    tagger = backend.tagger
    ours = backend.marginals(sentences, backend.tags)
    for words, marg in zip(sentences, ours):
        xseq = backend.featurizer.sentence(words)
        tags = tagger.tag(xseq)
        expected = np.array([[tagger.marginal(y, i) for y in backend.tags] for i in range(len(words))])
        np.testing.assert_allclose(marg, expected, atol=1e-5)
        E = backend.emissions(words)
        from pipeline.recognize.model import viterbi

        path = viterbi(E[None], np.array([len(words)]), backend.trans, np.zeros(len(backend.tags)))[0]
        assert [backend.tags[k] for k in path] == tags


@pytest.mark.parametrize("features,bioes", [(None, False), ({"quotes": True}, True)])
def test_numpy_crf_matches_crfsuite(tmp_path, features, bioes):
    backend = train_tiny(tmp_path, features, bioes)
    rng = random.Random(7)
    vocab = [w for ws, _ in SENTENCES for w in ws] + ["غريب", "«", "»", "x"]
    sentences = [ws for ws, _ in SENTENCES] + [[rng.choice(vocab) for _ in range(rng.randint(1, 12))]
                                               for _ in range(30)]
    assert_same_as_crfsuite(backend, sentences)
    # spans come from the same tags, scored by the mean marginal of their tags
    preds = backend.predict(sentences)
    assert any(preds) and all(0.0 < s[3] <= 1.0 for p in preds for s in p)


def test_numpy_crf_cache_is_bounded(tmp_path, monkeypatch):
    backend = train_tiny(tmp_path, None, False)
    sentences = [ws for ws, _ in SENTENCES]
    reference = backend.predict(sentences)
    monkeypatch.setattr(CRFBackend, "CACHE_SIZE", 3)  # far fewer than the word types of one sentence
    small = CRFBackend(tmp_path, {"format_version": 1, "backend": "crf"})
    assert small.predict(sentences) == reference
    assert small.predict(sentences) == reference
    assert len(small.type_cache) <= 3


@pytest.mark.skipif(not any(default_model_dir().glob("**/crf.model")), reason="no shipped CRF model")
def test_shipped_crf_matches_crfsuite():
    from pipeline.recognize.model import load_backend

    backend, _ = load_backend(default_model_dir())
    if backend.name != "crf":  # an ensemble: check its CRF member
        backend = next(b for b, _ in backend.members if b.name == "crf")
    assert_same_as_crfsuite(backend, [ws for ws, _ in SENTENCES])


def test_crfsuite_weights_equal_tagger_info(tmp_path):
    """The one-pass dump reader gives what pycrfsuite's line parser gives, order included, also for attribute
    names that look like the dump's own syntax."""
    from pipeline.recognize.model import crfsuite_weights

    odd = ["w=a --> b", "x: 1.5", "(3) y", "z ", "ع=قال", "p=-0.25"]
    trainer = pycrfsuite.Trainer(verbose=False)
    rng = random.Random(3)
    for _ in range(40):
        n = rng.randint(1, 6)
        trainer.append([{rng.choice(odd): 1.0, f"i={rng.randint(0, 9)}": 1.0} for _ in range(n)],
                       [rng.choice(["O", "B-PER", "I-PER", "B-LOC"]) for _ in range(n)])
    trainer.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 30})
    trainer.train(str(tmp_path / "odd.model"))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "odd.model"))
    transitions, state_features = crfsuite_weights(tagger)
    info = tagger.info()
    assert list(transitions.items()) == [(k, float(w)) for k, w in info.transitions.items()]
    assert list(state_features.items()) == list(info.state_features.items())
    assert {a for a, _ in state_features} & set(odd)  # the odd names were learned, so the check means something
