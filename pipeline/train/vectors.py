"""Pretrain word vectors and word clusters on the unlabelled Arabic Wikipedia text.

    python -m pipeline.train.vectors --out build/vectors

Reads ../shared/data/text/arwiki_2017.jsonl.gz (CC BY-SA 4.0) plus the *training*
parts of ANERcorp and AQMAR (never a test file), normalizes with
``pipeline.normalize.normalize_text`` and tokenizes with the run-time token
pattern, then trains gensim skip-gram word2vec and k-means clusters over it.
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


def build_corpus(shared: Path) -> list[list[str]]:
    sents = list(wiki_sentences(shared / "text" / "arwiki_2017.jsonl.gz"))
    for rel in ("ner/anercorp/train.txt", "ner/aqmar/train.txt", "ner/aqmar/dev.txt", "ner/wojood_sample/train.txt"):
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
    args = ap.parse_args(argv)
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    from gensim.models import Word2Vec
    from sklearn.cluster import MiniBatchKMeans

    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    sents = build_corpus(args.shared)
    logging.info("corpus: %d sentences, %d tokens (%.0fs)", len(sents), sum(map(len, sents)), time.time() - t0)
    model = Word2Vec(sents, vector_size=args.dim, window=5, min_count=args.min_count, sg=1, negative=5,
                     sample=1e-4, epochs=args.epochs, workers=args.workers, seed=13)
    kv = model.wv
    kv.save(str(args.out / "w2v.kv"))
    logging.info("vectors: %d words (%.0fs)", len(kv.index_to_key), time.time() - t0)
    words = kv.index_to_key[: args.cluster_words]
    X = kv.vectors[: len(words)]
    X = X / np.linalg.norm(X, axis=1, keepdims=True).clip(1e-6)
    for k in map(int, args.clusters.split(",")):
        km = MiniBatchKMeans(n_clusters=k, random_state=13, batch_size=4096, n_init=1, max_iter=50).fit(X)
        with open(args.out / f"clusters{k}.tsv", "w", encoding="utf-8") as f:
            for w, c in zip(words, km.labels_):
                f.write(f"{w}\t{c}\n")
        logging.info("clusters k=%d done (%.0fs)", k, time.time() - t0)


if __name__ == "__main__":
    main()
