"""Silver training data: arwiki sentences tagged confidently by a first-stage model (self-training).

    python -m pipeline.train.silver --model build/stage1 --out build/silver.conll --sentences 20000

A sentence is kept when it has at least one entity, every predicted tag's marginal is at least
``--min-entity`` and every O tag's marginal at least ``--min-o``: the model is sure of the whole
sentence, typically because a head word or title makes the type plain (نادي ارسنال, الرئيس بوش).
Training on such sentences teaches the next model the names themselves, which then helps where the
cue is missing (فاز ارسنال). Written as CoNLL (token TAG, BIO) from normalized tokens.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path

from .data import DEFAULT_SHARED
from .ner import ARWIKI


def arwiki_sentences(shared: Path, min_len: int = 6, max_len: int = 60):
    """Normalized token lists of arwiki sentences (our tokenizer's sentences), article by article."""
    from pipeline.document import Document
    from pipeline.tokenize import Tokenizer

    tok = Tokenizer()
    with gzip.open(shared / ARWIKI[0], "rt", encoding="utf-8") as f:
        for line in f:
            doc = tok(Document(json.loads(line)["text"]))
            for s in doc.sentences:
                words = [t.norm for t in doc.tokens[s.first_token:s.last_token]]
                if min_len <= len(words) <= max_len:
                    yield words


def confident_tags(backend, words: list[str], min_entity: float, min_o: float) -> list[str] | None:
    """BIO tags for a sentence the CRF is sure of, else None."""
    from pipeline.recognize.model import tags_to_spans

    tagger = backend.tagger
    tags = tagger.tag(backend.featurizer.sentence(words))
    if all(t == "O" for t in tags):
        return None
    for i, t in enumerate(tags):
        if tagger.marginal(t, i) < (min_o if t == "O" else min_entity):
            return None
    bio = ["O"] * len(words)
    for a, b, label, _ in tags_to_spans(tags):
        bio[a] = "B-" + label
        for k in range(a + 1, b):
            bio[k] = "I-" + label
    return bio


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True, help="first-stage CRF model directory")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--sentences", type=int, default=20000, help="silver sentences to keep")
    ap.add_argument("--min-entity", type=float, default=0.9)
    ap.add_argument("--min-o", type=float, default=0.95)
    ap.add_argument("--keep-rate", type=float, default=1.0,
                    help="keep each confident sentence with this probability (spreads the sample over arwiki)")
    ap.add_argument("--loc-only-rate", type=float, default=1.0,
                    help="keep a sentence whose entities are all LOC with this probability (LOC is the easy, "
                         "over-represented type in Wikipedia)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    from pipeline.recognize.model import load_backend

    backend, _ = load_backend(args.model)
    if backend.name != "crf":
        raise SystemExit("silver data needs a CRF first-stage model")
    rng = random.Random(args.seed)
    t0 = time.time()
    seen = kept = 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for words in arwiki_sentences(args.shared):
            seen += 1
            tags = confident_tags(backend, words, args.min_entity, args.min_o)
            if tags is None or rng.random() > args.keep_rate:
                continue
            if all(t == "O" or t.endswith("LOC") for t in tags) and rng.random() > args.loc_only_rate:
                continue
            f.write("\n".join(f"{w}\t{t}" for w, t in zip(words, tags)) + "\n\n")
            kept += 1
            if kept >= args.sentences:
                break
    print(json.dumps({"out": str(args.out), "sentences_read": seen, "kept": kept,
                      "seconds": round(time.time() - t0)}))


if __name__ == "__main__":
    main()
