"""A vectors dir holding the shipped model's own word clusters, word vectors and context flags.

    python experiments/shipped_vectors.py [--model models/ner] [--out build/vec_shipped]
    sh experiments/cv.sh S --context --vectors build/vec_shipped [ARGS]   # then cv_summary.py S ...

Rebuilding the vectors (``pipeline.train.vectors``) with another seed moves 5-fold CV by about half a point
(BENCHMARKS.md, session 9): a comparison between two training recipes on two vector builds measures the builds.
This writes what ``pipeline.train.ner`` / ``bilstm --vectors`` read — clusters200.tsv and clusters1000.tsv from the
CRF member's table (a model trained on them has a byte-identical lexicon), context.tsv.gz, and w2v.kv from the BiLSTM
member's frozen word vectors (its vocabulary only: ~67k words, unit length, as the BiLSTM stored them) — so recipes
can be compared on the clusters and vectors that ship.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=Path("models/ner"))
    ap.add_argument("--out", type=Path, default=Path("build/vec_shipped"))
    args = ap.parse_args()
    meta = json.loads((args.model / "meta.json").read_text(encoding="utf-8"))
    members = {m["dir"]: args.model / m["dir"] for m in meta.get("members", [])} or {"crf": args.model}
    crf = next(d for d in members.values() if (d / "crf.model").exists())
    args.out.mkdir(parents=True, exist_ok=True)
    with gzip.open(crf / "clusters.tsv.gz", "rt", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    for col, k in ((1, 200), (2, 1000)):
        with open(args.out / f"clusters{k}.tsv", "w", encoding="utf-8") as f:
            f.writelines(f"{r[0]}\t{r[col]}\n" for r in rows)
    shutil.copy(crf / "context.tsv.gz", args.out / "context.tsv.gz")
    print(f"{args.out}: clusters of {len(rows):,} words and the context flags of {crf}")
    bilstm = next((d for d in members.values() if (d / "weights.npz").exists()), None)
    if bilstm is not None:
        from gensim.models import KeyedVectors

        with gzip.open(bilstm / "vocab.json.gz", "rt", encoding="utf-8") as f:
            words = json.load(f)["words"][2:]  # without <pad>, <unk>
        with np.load(bilstm / "weights.npz") as z:
            vectors = z["word_emb"][2:].astype(np.float32)
        kv = KeyedVectors(vector_size=vectors.shape[1])
        kv.add_vectors(words, vectors)
        kv.save(str(args.out / "w2v.kv"))
        print(f"{args.out}: word vectors of {len(words):,} words from {bilstm}")


if __name__ == "__main__":
    main()
