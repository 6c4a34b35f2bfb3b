"""Pretrain word vectors and word clusters on the unlabelled Arabic Wikipedia text.

    python -m pipeline.train.vectors --out build/vectors

Reads ../shared/data/text/arwiki_2017.jsonl.gz (CC BY-SA 4.0) plus the *training*
parts of ANERcorp and AQMAR (never a test file), normalizes with
``pipeline.normalize.normalize_text`` and tokenizes with the run-time token
pattern, then trains gensim skip-gram word2vec and k-means clusters over it.

``--fasttext`` trains fastText vectors instead (skip-gram over words and their hashed character n-grams) and
also writes ``subwords.npz``: the n-gram vectors (int8) and the k-means centroids, from which
``pipeline.subwords`` gives a word the corpus never showed a vector and a cluster at run time.
``--without anercorp`` leaves ANERcorp train's text out, so that cross-validation over ANERcorp sees
as many unknown words in its held-out blocks as the test set and news do. Neither beat the default in
cross-validation beyond the noise of ``--seed`` (BENCHMARKS.md, session 9); ``corpus.json`` records the choice.
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import time
from pathlib import Path

import numpy as np

from pipeline.normalize import normalize_text
from pipeline.tokenize import TOKEN_PATTERN, SENTENCE_END

from pipeline.subwords import MAX_N, MIN_N

from .data import DEFAULT_SHARED, read_conll_tokens


def wiki_sentences(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            text = normalize_text(json.loads(line)["text"])
            for para in text.split("\n"):
                sent: list[str] = []
                for tok in TOKEN_PATTERN.findall(para):
                    sent.append(tok)
                    if tok in SENTENCE_END and len(sent) > 1:
                        yield sent
                        sent = []
                if len(sent) > 1:
                    yield sent


CORPUS_FILE = "corpus.json"
LABELLED_TEXT = {"anercorp": "ner/anercorp/train.txt", "aqmar": "ner/aqmar/train.txt", "aqmar_dev": "ner/aqmar/dev.txt",
                 "wojood": "ner/wojood_sample/train.txt"}


def build_corpus(shared: Path, without: frozenset[str] = frozenset()) -> list[list[str]]:
    sents = list(wiki_sentences(shared / "text" / "arwiki_2017.jsonl.gz"))
    for name, rel in LABELLED_TEXT.items():
        if name in without:
            continue
        for toks in read_conll_tokens(shared / rel):
            sents.append([normalize_text(t) for t in toks])
    return sents


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, default=Path("build/vectors"))
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clusters", default="200,1000")
    ap.add_argument("--cluster-words", type=int, default=150000)
    ap.add_argument("--fasttext", action="store_true", help="fastText vectors + subwords.npz for unseen words")
    ap.add_argument("--buckets", type=int, default=200000, help="hashed n-gram rows (--fasttext)")
    ap.add_argument("--seed", type=int, default=13, help="for word2vec/fastText and k-means")
    ap.add_argument("--without", default="", help="comma-separated labelled texts to leave out: " + ",".join(LABELLED_TEXT))
    args = ap.parse_args(argv)
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    from gensim.models import FastText, Word2Vec
    from sklearn.cluster import MiniBatchKMeans

    without = frozenset(w for w in args.without.split(",") if w)
    unknown = without - set(LABELLED_TEXT)
    if unknown:
        ap.error(f"--without: unknown {sorted(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    sents = build_corpus(args.shared, without)
    logging.info("corpus: %d sentences, %d tokens (%.0fs)", len(sents), sum(map(len, sents)), time.time() - t0)
    # what the vectors saw, for the model cards of the models built on them
    (args.out / CORPUS_FILE).write_text(json.dumps({
        "arwiki": True, "labelled_text": [n for n in LABELLED_TEXT if n not in without],
        "without": sorted(without), "kind": "fastText" if args.fasttext else "word2vec",
        "tokens": sum(map(len, sents))}, indent=1), encoding="utf-8")
    common = dict(vector_size=args.dim, window=5, min_count=args.min_count, sg=1, negative=5, sample=1e-4,
                  epochs=args.epochs, workers=args.workers, seed=args.seed)
    if args.fasttext:
        model = FastText(sents, min_n=MIN_N, max_n=MAX_N, bucket=args.buckets, **common)
    else:
        model = Word2Vec(sents, **common)
    kv = model.wv
    kv.save(str(args.out / "w2v.kv"))
    logging.info("vectors: %d words (%.0fs)", len(kv.index_to_key), time.time() - t0)
    words = kv.index_to_key[: args.cluster_words]
    X = kv.vectors[: len(words)]
    X = X / np.linalg.norm(X, axis=1, keepdims=True).clip(1e-6)
    centroids = []
    for k in map(int, args.clusters.split(",")):
        km = MiniBatchKMeans(n_clusters=k, random_state=args.seed, batch_size=4096, n_init=1, max_iter=50).fit(X)
        with open(args.out / f"clusters{k}.tsv", "w", encoding="utf-8") as f:
            for w, c in zip(words, km.labels_):
                f.write(f"{w}\t{c}\n")
        centroids.append(km.cluster_centers_.astype(np.float32))
        logging.info("clusters k=%d done (%.0fs)", k, time.time() - t0)
    if args.fasttext:
        from pipeline.recognize.model import SUBWORDS_FILE
        from pipeline.subwords import SubwordVectors

        SubwordVectors.quantized(kv.vectors_ngrams, centroids, MIN_N, MAX_N).save(args.out / SUBWORDS_FILE)
        logging.info("subword vectors: %d n-gram rows (%.0fs)", kv.vectors_ngrams.shape[0], time.time() - t0)


if __name__ == "__main__":
    main()
