"""Clusters of unseen words from character n-grams (pipeline.subwords) and their use in the NER lexicon."""
import numpy as np
import pytest

from pipeline.recognize.model import FLAG_NAMES, Featurizer, Lexicon, word_flags
from pipeline.subwords import SubwordVectors, char_ngrams, ngram_hash

WORDS = ["في", "والقاهرة", "بوريطة", "a", "Ωmega", "x1", "لودريان", "ـ", "😀ب"]


def test_ngram_hashes_match_gensim():
    fasttext = pytest.importorskip("gensim.models.fasttext")
    for w in WORDS:
        for minn, maxn in ((3, 5), (2, 4), (1, 6)):
            ours = sorted(ngram_hash(g) % 100_003 for g in char_ngrams(w, minn, maxn))
            assert ours == sorted(fasttext.ft_ngram_hashes(w, minn, maxn, 100_003)), (w, minn, maxn)


def test_unseen_word_vector_matches_gensim_fasttext():
    """A word FastText never saw gets the mean of its n-gram rows, as gensim computes it."""
    gensim = pytest.importorskip("gensim.models")
    sents = [["القاهرة", "مدينة", "كبيرة"], ["لندن", "مدينة", "قديمة"], ["بغداد", "عاصمة", "العراق"]] * 20
    model = gensim.FastText(sents, vector_size=8, min_count=1, min_n=3, max_n=5, bucket=5_000, epochs=2,
                            workers=1, seed=1)
    sv = SubwordVectors(model.wv.vectors_ngrams.copy(), None, [np.eye(8, dtype=np.float32)], 3, 5)
    for w in ("بالقاهرة", "مدينتان", "لندنية"):
        assert w not in model.wv.key_to_index
        np.testing.assert_allclose(sv.vector(w), model.wv[w], rtol=1e-5, atol=1e-6)


def test_clusters_are_the_nearest_centroid_and_survive_quantization(tmp_path):
    rng = np.random.default_rng(0)
    ngrams = rng.normal(size=(997, 16)).astype(np.float32)
    cents = [rng.normal(size=(k, 16)).astype(np.float32) for k in (5, 40)]
    cents = [c / np.linalg.norm(c, axis=1, keepdims=True) for c in cents]
    exact = SubwordVectors(ngrams, None, cents, 3, 5)
    for w in WORDS[:7]:
        v = exact.vector(w)
        v = v / np.linalg.norm(v)
        expected = tuple(str(int(np.argmin(((c - v) ** 2).sum(axis=1)))) for c in cents)  # k-means' assignment
        assert exact.clusters(w) == expected
    q = SubwordVectors.quantized(ngrams, cents, 3, 5)
    assert q.ngrams.dtype == np.int8
    q.save(tmp_path / "subwords.npz")
    loaded = SubwordVectors.load(tmp_path / "subwords.npz")
    agree = sum(loaded.clusters(w)[0] == exact.clusters(w)[0] for w in WORDS[:7])
    assert agree >= 6
    for w in WORDS[:7]:
        np.testing.assert_allclose(loaded.vector(w), exact.vector(w), atol=0.02)


def test_lexicon_prefers_the_table_then_the_stem_then_subwords(tmp_path):
    rng = np.random.default_rng(1)
    sv = SubwordVectors(rng.normal(size=(101, 4)).astype(np.float32), None,
                        [rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=(7, 4)).astype(np.float32)], 3, 5)
    lex = Lexicon(clusters={"لندن": ("1", "10"), "القاهرة": ("2", "20")}, subwords=sv)
    assert lex.word_clusters("لندن", "لندن") == (("1", "10"), False)
    assert lex.word_clusters("والقاهرة", "القاهرة") == (("2", "20"), False)
    unseen, flag = lex.word_clusters("وبوريطة", "بوريطة")
    assert flag and unseen == sv.clusters("بوريطة") and len(unseen) == 2
    assert Lexicon(clusters={"لندن": ("1", "10")}).word_clusters("بوريطة", "بوريطة") == ((), True)
    # the featurizer: an unseen word fires its n-gram clusters and still says it is unseen (c=none, nocl)
    feats = Featurizer(lex).word_features("بوريطة")[0]
    assert "c=none" in feats and f"u0={unseen[0]}" in feats and f"u1={unseen[1]}" in feats
    assert not any(f.startswith(("c0=", "c1=")) for f in feats)  # guesses never share the known clusters' weights
    assert Featurizer(lex).word_core("بوريطة")[3:5] == ("-", "-")
    assert "c=none" not in Featurizer(lex).word_features("لندن")[0]
    plain = Featurizer(Lexicon()).word_features("بوريطة")[0]
    assert "c=none" in plain and not any(f.startswith("c0=") for f in plain)
    nocl = FLAG_NAMES.index("nocl")
    assert nocl in word_flags(Featurizer(lex).word_info("بوريطة"), "")
    assert nocl in word_flags(Featurizer(lex).word_core("بوريطة"), "")
    assert nocl not in word_flags(Featurizer(lex).word_core("لندن"), "")
    # saved with the model's lexicon files and loaded back
    lex.save(tmp_path)
    again = Lexicon.load(tmp_path)
    assert again.word_clusters("وبوريطة", "بوريطة") == (unseen, True)


def test_vectors_corpus_record_decides_reuse_and_the_card(tmp_path):
    """make train reuses build/vectors only when they left out what the recipe leaves out; the card says what
    the vectors saw."""
    import json

    from pipeline.train.all import RECIPE, vectors_match
    from pipeline.train.card import vector_corpus_note

    assert RECIPE["vectors"] == {"without": [], "kind": "word2vec"}  # the shipped recipe: the default corpus
    assert not vectors_match(tmp_path)  # nothing built
    (tmp_path / "clusters1000.tsv").write_text("في\t1\n", encoding="utf-8")
    assert vectors_match(tmp_path)  # built before corpus.json existed: the default corpus
    (tmp_path / "corpus.json").write_text(json.dumps({"without": [], "kind": "word2vec"}), encoding="utf-8")
    assert vectors_match(tmp_path)
    (tmp_path / "corpus.json").write_text(json.dumps({"without": ["anercorp"], "kind": "word2vec"}), encoding="utf-8")
    assert not vectors_match(tmp_path)  # another corpus: make train rebuilds
    (tmp_path / "corpus.json").write_text(json.dumps({"without": [], "kind": "fastText"}), encoding="utf-8")
    assert not vectors_match(tmp_path)

    old = vector_corpus_note(None)
    assert "ANERcorp train" in old and "word2vec" in old
    note = vector_corpus_note({"labelled_text": ["aqmar", "wojood"], "without": ["anercorp"], "kind": "word2vec"})
    assert "AQMAR train" in note and "Wojood" in note
    assert "ANERcorp train," not in note
    assert "arwiki alone" in vector_corpus_note({"labelled_text": [], "without": list(RECIPE), "kind": "fastText"})


def test_mimick_training_writes_a_loadable_table(tmp_path):
    """pipeline.train.subwords on a tiny word2vec: unseen words get clusters of the existing clusterings."""
    gensim = pytest.importorskip("gensim.models")
    pytest.importorskip("torch")
    from pipeline.train import subwords as train_subwords

    sents = [["القاهرة", "مدينة", "كبيرة"], ["لندن", "مدينة", "قديمة"], ["بغداد", "عاصمة", "العراق"]] * 30
    w2v = gensim.Word2Vec(sents, vector_size=8, min_count=1, epochs=3, workers=1, seed=1)
    w2v.wv.save(str(tmp_path / "w2v.kv"))
    words = w2v.wv.index_to_key
    for k in (2, 3):
        (tmp_path / f"clusters{k}.tsv").write_text("".join(f"{w}\t{i % k}\n" for i, w in enumerate(words)),
                                                  encoding="utf-8")
    train_subwords.main(["--vectors", str(tmp_path), "--ks", "2,3", "--buckets", "997", "--epochs", "2",
                         "--held-out", "0.2"])
    sv = SubwordVectors.load(tmp_path / "subwords.npz")
    assert [len(c) for c in sv.centroids] == [2, 3] and sv.buckets == 997
    c = sv.clusters("بالقاهرة")
    assert len(c) == 2 and 0 <= int(c[0]) < 2 and 0 <= int(c[1]) < 3


def test_bilstm_vocab_takes_every_training_word_with_fasttext_vectors():
    gensim = pytest.importorskip("gensim.models")
    pytest.importorskip("torch")
    from pipeline.train.bilstm import build_vocab, has_subword_vectors

    sents = [["القاهرة", "مدينة", "كبيرة"], ["لندن", "مدينة", "قديمة"]] * 20
    ft = gensim.FastText(sents, vector_size=8, min_count=1, min_n=3, max_n=5, bucket=1000, epochs=1, workers=1)
    w2v = gensim.Word2Vec(sents, vector_size=8, min_count=1, epochs=1, workers=1)
    assert has_subword_vectors(ft.wv) and not has_subword_vectors(w2v.wv)
    words, vec = build_vocab(ft.wv, {"بالقاهرة", "لندن"}, 10)
    assert "بالقاهرة" in words  # unseen by the vectors, but it has an n-gram vector
    np.testing.assert_allclose(np.linalg.norm(vec[2:], axis=1), 1, atol=1e-5)
    assert "بالقاهرة" not in build_vocab(w2v.wv, {"بالقاهرة", "لندن"}, 10)[0]
