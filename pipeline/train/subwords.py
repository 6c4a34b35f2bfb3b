"""Learn vectors for words the word vectors never saw, from their character n-grams (MIMICK-style).

    python -m pipeline.train.subwords --vectors build/vectors [--buckets 200000] [--epochs 8]

word2vec (``pipeline.train.vectors``) gives a vector and a cluster only to words seen 3+ times in arwiki; 15 % of
the entity tokens of ANERcorp test (and as many in news) have neither. Following Pinter et al. (2017, "Mimicking
Word Embeddings using Subword RNNs"), a model learns to predict each known word's (unit) word2vec vector from
its spelling alone — here the mean of hashed character 3-5-gram vectors, fastText's composition, so the run time
(``pipeline.subwords``) is a gather and a mean — and an unseen word then gets the predicted vector and the
cluster of its nearest k-means centroid. The word2vec clusters of known words stay as they are: fastText's own
clusters (``vectors --fasttext``) group words by spelling and cost the CRF a point in cross-validation.

Writes ``subwords.npz`` into the vectors dir; ``pipeline.train.ner`` / ``bilstm`` copy it into the model.
"""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import numpy as np

from pipeline.recognize.model import SUBWORDS_FILE
from pipeline.subwords import MAX_N, MIN_N, SubwordVectors, char_ngrams, ngram_hash


def cluster_table(vectors: Path, k: int) -> dict[str, int]:
    with open(vectors / f"clusters{k}.tsv", encoding="utf-8") as f:
        return {w: int(c) for w, c in (line.rstrip("\n").split("\t") for line in f)}


def centroids(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Mean of each cluster's unit vectors (k-means' centroid of its final assignment)."""
    sums = np.zeros((k, X.shape[1]), dtype=np.float64)
    np.add.at(sums, labels, X)
    counts = np.bincount(labels, minlength=k).clip(1)[:, None]
    return (sums / counts).astype(np.float32)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"))
    ap.add_argument("--ks", default="200,1000", help="the clusterings of pipeline.train.vectors (clustersK.tsv)")
    ap.add_argument("--buckets", type=int, default=200000)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--held-out", type=float, default=0.05, help="share of words scored, not trained on")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    import torch
    from gensim.models import KeyedVectors

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    ks = [int(k) for k in args.ks.split(",")]
    tables = [cluster_table(args.vectors, k) for k in ks]
    kv = KeyedVectors.load(str(args.vectors / "w2v.kv"))
    words = [w for w in tables[0] if w in kv.key_to_index]  # the clustered words, most frequent first
    X = kv[words].astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True).clip(1e-6)
    labels = [np.array([t[w] for w in words]) for t in tables]
    cents = [centroids(X, lab, k) for lab, k in zip(labels, ks)]
    # n-gram hashes of each word, as offsets into one flat index (EmbeddingBag's input)
    hashes = [[ngram_hash(g) % args.buckets for g in char_ngrams(w, MIN_N, MAX_N)] or [0] for w in words]
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(words))
    n_held = int(len(words) * args.held_out)
    held, train = order[:n_held], order[n_held:]
    bag = torch.nn.EmbeddingBag(args.buckets, X.shape[1], mode="mean", sparse=True)
    torch.nn.init.normal_(bag.weight, std=0.01)
    opt = torch.optim.SparseAdam(bag.parameters(), lr=args.lr)
    target = torch.from_numpy(X)

    def batch_input(idx):
        flat = [h for i in idx for h in hashes[i]]
        offsets = np.cumsum([0] + [len(hashes[i]) for i in idx[:-1]])
        return torch.tensor(flat), torch.tensor(offsets)

    def predict(idx) -> np.ndarray:
        with torch.no_grad():
            return bag(*batch_input(idx)).numpy()

    def held_out_report(tag: str) -> None:
        if not n_held:
            return
        P = predict(list(held))
        P /= np.linalg.norm(P, axis=1, keepdims=True).clip(1e-6)
        cos = float((P * X[held]).sum(axis=1).mean())
        picks = SubwordVectors(np.zeros((1, X.shape[1]), np.float32), None, cents, MIN_N, MAX_N).nearest(P)
        acc = [float((pred == lab[held]).mean()) for pred, lab in zip(picks, labels)]
        logging.info("%s: held-out mean cosine %.3f, cluster agreement %s (%.0fs)", tag, cos,
                     " ".join(f"k={k} {a:.3f}" for k, a in zip(ks, acc)), time.time() - t0)

    for epoch in range(args.epochs):
        rng.shuffle(train)
        total = 0.0
        for s in range(0, len(train), args.batch):
            idx = list(train[s:s + args.batch])
            pred = bag(*batch_input(idx))
            loss = (1 - torch.nn.functional.cosine_similarity(pred, target[idx], dim=1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        held_out_report(f"epoch {epoch + 1}, train loss {total / len(train):.4f}")
    sv = SubwordVectors.quantized(bag.weight.detach().numpy(), cents, MIN_N, MAX_N)
    sv.save(args.vectors / SUBWORDS_FILE)
    logging.info("wrote %s: %d n-gram rows x %d (%.0fs)", args.vectors / SUBWORDS_FILE, args.buckets, X.shape[1],
                 time.time() - t0)


if __name__ == "__main__":
    main()
