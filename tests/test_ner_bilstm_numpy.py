"""The numpy BiLSTM-CRF run time computes what the torch model it was exported from computes."""
from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from pipeline.recognize.model import FLAG_NAMES, BiLSTMBackend, Featurizer, Lexicon  # noqa: E402
from pipeline.train import bilstm  # noqa: E402

TRAIN = [
    ("قال الرئيس جورج بوش في واشنطن".split(), ["O", "O", "B-PER", "I-PER", "O", "B-LOC"]),
    ("اعلنت منظمة التعاون الاسلامي في لندن".split(), ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC"]),
    ("وصل بوش الي لندن".split(), ["O", "B-PER", "O", "B-LOC"]),
]
SENTENCES = [ws for ws, _ in TRAIN] + [["غريب"], "في لندن قال محمد علي انه سيزور واشنطن وبغداد".split()]


def build(tmp_path, id_dims, extra_heads=0):
    lexicon = Lexicon(clusters={"بوش": ("7", "70"), "لندن": ("3", "30"), "واشنطن": ("3", "31")},
                      gazetteer={"لندن": "LOC1"}, context={"الرئيس": "T1"})
    lexicon.save(tmp_path)
    feat = Featurizer(lexicon)
    words = ["<pad>", "<unk>", "قال", "في", "لندن", "بوش"]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(words), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)  # unit length, as build_vocab makes them
    chars = ["<pad>", "<unk>"] + sorted({c for ws, _ in TRAIN for w in ws for c in w})
    ids = bilstm.id_vocabs(TRAIN, lexicon, min_count=1)[:len(id_dims)]
    torch.manual_seed(0)
    model = bilstm.Tagger(vectors, len(chars), len(FLAG_NAMES), len(bilstm.TAGS), hidden=6, dropout=0.0,
                          id_sizes=[len(v) for v in ids], id_dims=id_dims, extra_heads=extra_heads)
    with torch.no_grad():  # non-trivial CRF weights
        for p in model.crf.parameters():
            p.normal_()
    model.eval()
    meta = {"format_version": 1, "backend": "bilstm", "config": {"max_word_len": 20}}
    bilstm.export(model, tmp_path, words, chars, meta, ids)
    widx, cidx = {w: i for i, w in enumerate(words)}, {c: i for i, c in enumerate(chars)}
    items = bilstm.encode([(ws, ["O"] * len(ws)) for ws in SENTENCES], feat, widx, cidx, 20,
                          [{v: i for i, v in enumerate(vs)} for vs in ids])
    return model, items, BiLSTMBackend(tmp_path, meta)


@pytest.mark.parametrize("id_dims", [[], [5, 3, 3]])
def test_numpy_emissions_equal_torch(tmp_path, id_dims):
    model, items, backend = build(tmp_path, id_dims)
    w, c, f, k, _, _, lens = bilstm.batchify(items)
    with torch.no_grad():
        expected = model.emissions(w, c, f, k, lens).numpy()
    got, got_lens = backend.emissions(SENTENCES)
    assert list(got_lens) == [len(s) for s in SENTENCES]
    for r, s in enumerate(SENTENCES):
        # word vectors are stored as float16: agreement to ~1e-4, where a wrong gate order or offset is ~1e-1
        np.testing.assert_allclose(got[r, :len(s)], expected[r, :len(s)], atol=1e-3)
    # marginals are distributions; the predicted spans are scored in (0, 1]
    for m, s in zip(backend.marginals(SENTENCES, bilstm.TAGS), SENTENCES):
        np.testing.assert_allclose(m.sum(axis=1), np.ones(len(s)), atol=1e-4)
    assert all(0.0 < span[3] <= 1.0 for p in backend.predict(SENTENCES) for span in p)


def test_only_the_target_head_is_exported(tmp_path):
    """Extra data sets train heads of their own (multi-task); the exported model is the encoder + head 0."""
    model, items, backend = build(tmp_path, [5, 3, 3], extra_heads=2)
    with np.load(tmp_path / "weights.npz") as arrays:
        assert not [k for k in arrays.files if "extra_heads" in k]
    w, c, f, k, _, _, lens = bilstm.batchify(items)
    with torch.no_grad():
        target = model.emissions(w, c, f, k, lens).numpy()
        other = model.emissions(w, c, f, k, lens, head=1).numpy()
    got, _ = backend.emissions(SENTENCES)
    s = len(SENTENCES[0])
    np.testing.assert_allclose(got[0, :s], target[0, :s], atol=1e-3)
    assert np.abs(other[0, :s] - target[0, :s]).max() > 1e-2


def test_subword_vectors_for_unseen_words(tmp_path):
    """A model trained on fastText vectors gives a word without a row its unit n-gram vector as input."""
    from pipeline.recognize.model import ModelError
    from pipeline.subwords import SubwordVectors

    _, _, plain = build(tmp_path, [])
    rng = np.random.default_rng(3)
    sv = SubwordVectors(rng.normal(size=(211, 8)).astype(np.float32), None,
                        [rng.normal(size=(3, 8)).astype(np.float32), rng.normal(size=(5, 8)).astype(np.float32)], 3, 5)
    sv.save(tmp_path / "subwords.npz")
    meta = {"format_version": 1, "backend": "bilstm", "config": {"max_word_len": 20, "subword_vectors": True}}
    backend = BiLSTMBackend(tmp_path, meta)
    unseen, known = "غريب", "لندن"
    v = sv.vector(unseen)
    v /= np.linalg.norm(v)
    dim = backend.emb.shape[1]
    got = backend._new_gate_inputs([unseen, known]) - plain._new_gate_inputs([unseen, known])
    np.testing.assert_allclose(got[0], (v - plain.emb[1]) @ plain.wi[:dim], atol=1e-4)  # only the vector changed
    np.testing.assert_allclose(got[1], 0, atol=1e-6)  # a word with a row keeps it
    (tmp_path / "subwords.npz").unlink()
    with pytest.raises(ModelError, match="subwords.npz"):
        BiLSTMBackend(tmp_path, meta)
