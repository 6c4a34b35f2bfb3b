"""CRF feature groups and tag schemes added for accuracy: BIOES decoding, quoted runs, silver data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.recognize.model import (
    MAX_QUOTED,
    EntityRecognizer,
    Featurizer,
    Lexicon,
    domain_copy,
    is_domain_copy,
    load_backend,
    tags_to_spans,
    to_bioes,
)


def test_to_bioes_marks_span_ends():
    bio = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG", "O", "I-MISC"]
    assert to_bioes(bio) == ["B-PER", "E-PER", "O", "S-LOC", "S-LOC", "I-ORG", "E-ORG", "O", "E-MISC"]
    assert to_bioes([]) == []


@pytest.mark.parametrize("tags", [
    ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG", "O", "I-MISC"],
    ["B-ORG", "I-ORG", "I-ORG", "I-LOC", "O", "B-PER"],
    ["O", "O"],
])
def test_bio_and_bioes_decode_to_the_same_spans(tags):
    assert tags_to_spans(to_bioes(tags)) == tags_to_spans(tags)


def test_bioes_decoding_of_ill_formed_sequences():
    # E- closes the span it ends; S- is a span alone even inside a run of the same type
    assert tags_to_spans(["B-PER", "E-PER", "I-PER"]) == [(0, 2, "PER", 1.0), (2, 3, "PER", 1.0)]
    assert tags_to_spans(["B-LOC", "S-LOC", "E-LOC"]) == [(0, 1, "LOC", 1.0), (1, 2, "LOC", 1.0),
                                                          (2, 3, "LOC", 1.0)]
    # scores are the mean marginal of the span's tags
    assert tags_to_spans(["B-ORG", "E-ORG"], [0.5, 1.0]) == [(0, 2, "ORG", 0.75)]


def quoted(feats):
    return [sorted(f for f in fs if f == "q" or f.startswith(("qh=", "qn=", "qB", "qE"))) for fs in feats]


def test_quote_features_mark_short_quoted_runs_only():
    f = Featurizer(Lexicon(), options={"quotes": True})
    words = "يقدم برنامج « الناس وانا » كل اسبوع".split()
    q = quoted(f.sentence(words))
    assert q[0] == q[1] == q[2] == q[5] == q[6] == q[7] == []
    assert q[3] == ["q", "qB", "qh=برنامج", "qn=2"]
    assert q[4] == ["q", "qE", "qh=برنامج", "qn=2"]
    # a long quotation is speech, not a name: no quote features
    long = ["قال", '"'] + ["كلمه"] * (MAX_QUOTED + 1) + ['"']
    assert all(x == [] for x in quoted(f.sentence(long)))
    # an unclosed quote marks nothing; without the option nothing is added
    assert all(x == [] for x in quoted(f.sentence("قال « الناس وانا".split())))
    assert all(x == [] for x in quoted(Featurizer(Lexicon()).sentence(words)))


def test_quote_pairs_do_not_cross():
    f = Featurizer(Lexicon(), options={"quotes": True})
    words = '« الف » و " باء جيم "'.split()
    q = quoted(f.sentence(words))
    assert q[1] == ["q", "qB", "qE", "qh=<s>", "qn=1"]
    assert "qB" in q[5] and "qE" in q[6] and "qh=و" in q[5]
    assert q[3] == q[4] == q[7] == []


def tiny_corpus():
    """A toy corpus with a learnable pattern: a title makes a person, نادي makes a club."""
    names = ["احمد", "سامي", "خالد", "ماجد", "وليد", "فهد"]
    clubs = ["الهلال", "النصر", "الاتحاد", "الشباب"]
    sents = []
    for i in range(60):
        n, c = names[i % len(names)], clubs[i % len(clubs)]
        sents.append((["قال", "الرئيس", n, "علي", "ان", "نادي", c, "فاز", "امس"],
                      ["O", "O", "B-PER", "I-PER", "O", "O", "B-ORG", "O", "O"]))
        sents.append((["زار", "الوزير", n, "مدينه", "الرياض", "و", "قابل", "لاعبي", c],
                      ["O", "O", "B-PER", "O", "B-LOC", "O", "O", "O", "B-ORG"]))
    return sents


@pytest.fixture(scope="module")
def bioes_model(tmp_path_factory):
    pytest.importorskip("pycrfsuite")
    from pipeline.train.ner import train_crf

    out = tmp_path_factory.mktemp("bioes_model")
    features = {"quotes": True}
    train_crf(out, tiny_corpus(), c1=0.01, c2=0.01, max_iter=60, features=features, bioes=True)
    (out / "meta.json").write_text(json.dumps({"format_version": 1, "backend": "crf", "features": features,
                                               "tagging": "BIOES", "labels": ["PER", "ORG", "LOC", "MISC"]}))
    return out


def test_bioes_model_predicts_bio_spans(bioes_model):
    rec = EntityRecognizer(bioes_model)
    [spans] = rec.predict([["قال", "الرئيس", "سامي", "علي", "ان", "نادي", "النصر", "فاز", "امس"]])
    assert [(a, b, label) for a, b, label, _ in spans] == [(2, 4, "PER"), (6, 7, "ORG")]
    assert all(0.0 < s <= 1.0 for *_, s in spans)


def test_silver_keeps_only_confident_sentences(bioes_model, tmp_path):
    from pipeline.recognize.model import load_backend
    from pipeline.train.silver import confident_tags

    backend, _ = load_backend(bioes_model)
    sure = confident_tags(backend, ["قال", "الرئيس", "خالد", "علي", "ان", "نادي", "الهلال", "فاز", "امس"], 0.5, 0.5)
    assert sure == ["O", "O", "B-PER", "I-PER", "O", "O", "B-ORG", "O", "O"]  # BIO, not BIOES
    assert confident_tags(backend, ["كان", "الجو", "جميلا"], 0.5, 0.5) is None  # no entity
    # a threshold above any marginal keeps nothing
    assert confident_tags(backend, ["قال", "الرئيس", "خالد", "علي"], 1.01, 0.5) is None


def test_extra_domain_features_keep_the_target_convention(tmp_path):
    """An extra set that labels clubs LOC (another convention) trains its own D1| copies of the features: the
    target's ORG reading survives, and those copies are in the model but never fired at run time."""
    pytest.importorskip("pycrfsuite")
    from pipeline.train.ner import train_crf

    target = tiny_corpus()
    extra = [(ws, ["B-LOC" if t == "B-ORG" else t for t in tags]) for ws, tags in tiny_corpus() + tiny_corpus()]
    meta = {"format_version": 1, "backend": "crf", "labels": ["PER", "ORG", "LOC", "MISC"]}
    sentence = ["قال", "الرئيس", "سامي", "علي", "ان", "نادي", "النصر", "فاز", "امس"]
    labels = {}
    for name, domains in (("mixed", None), ("augmented", [0] * len(target) + [1] * len(extra))):
        out = tmp_path / name
        out.mkdir()
        train_crf(out, target + extra, c1=0.01, c2=0.01, max_iter=60, domains=domains)
        (out / "meta.json").write_text(json.dumps(meta))
        [spans] = EntityRecognizer(out).predict([sentence])
        labels[name] = {(a, b): label for a, b, label, _ in spans}
        backend, _ = load_backend(out)
        has_copies = any(is_domain_copy(a) for a, _ in backend.tagger.info().state_features)
        assert has_copies == (domains is not None)
        assert not any(is_domain_copy(a) for a in backend.attrs)  # dropped at load: they never fire
    assert labels["mixed"][(6, 7)] == "LOC"  # the larger extra set wins without augmentation
    assert labels["augmented"][(6, 7)] == "ORG"


def test_domain_copies_are_told_apart_from_features():
    assert is_domain_copy(domain_copy(1, "w=بوش")) and is_domain_copy(domain_copy(12, "-1c=7"))
    assert not any(is_domain_copy(f) for f in ("w=بوش", "D", "Dx|a", "D|a", "bw=D1|x", "D1x|a"))
