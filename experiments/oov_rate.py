"""How many entity tokens a model's cluster table does not know (neither the word nor its proclitic-free stem).

    python experiments/oov_rate.py [--clusters models/ner/crf/clusters.tsv.gz | build/vectors/clusters1000.tsv]
        [--folds build/vec_v0/clusters1000.tsv]

Such words get no cluster feature (only ``c=none``); they are the rare names the model misses most. ANERcorp
train's text is part of the default vector corpus, so its words are nearly all known, while test's are not.
``--folds``: also the held-out blocks of 5-fold CV over ANERcorp train against another table.
"""
from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.clitics import split_proclitics  # noqa: E402
from pipeline.train.ner import DEFAULT_SHARED, load_sents, load_training  # noqa: E402


def table_words(path: Path) -> set[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return {line.split("\t", 1)[0] for line in f}


def unseen_share(words: list[str], known: set[str]) -> float:
    return sum(1 for w in words if w not in known and split_proclitics(w).stem not in known) / max(1, len(words))


def entity_tokens(sents) -> list[str]:
    return [w for words, tags in sents for w, t in zip(words, tags) if t != "O"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=Path, default=Path("models/ner/crf/clusters.tsv.gz"))
    ap.add_argument("--folds", type=Path, default=None)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    known = table_words(args.clusters)
    print(f"{args.clusters}: {len(known):,} words")
    for rel in ("ner/anercorp/train.txt", "ner/anercorp/test.txt", "ner/aqmar/test.txt"):
        toks = entity_tokens(load_sents(args.shared / rel))
        print(f"  {rel:24} entity tokens {len(toks):6,}  unknown {100 * unseen_share(toks, known):5.1f} %")
    if args.folds:
        fold_known = table_words(args.folds)
        print(f"{args.folds}: {len(fold_known):,} words")
        for k in range(5):
            _, dev, _ = load_training(args.shared, [], False, (k, 5))
            toks = entity_tokens(dev)
            print(f"  CV block {k}: entity tokens {len(toks):6,}  unknown {100 * unseen_share(toks, fold_known):5.1f} %")


if __name__ == "__main__":
    main()
