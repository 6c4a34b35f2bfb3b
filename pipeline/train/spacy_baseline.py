"""Baseline for comparison: a spaCy NER (efficiency preset) trained on the same data.

    python -m pipeline.train.spacy_baseline --out build/baselines/spacy_eff [--max-minutes 12]

Writes a model directory readable by ``EntityRecognizer`` (backend "spacy", evaluation only:
importing spaCy costs ~2.3 s and imports torch, so it is not the shipped backend).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .data import DEFAULT_SHARED
from .ner import SOURCES, dir_size, evaluate_dir, load_training, short


def to_docbin(nlp, sents, path: Path) -> None:
    from spacy.tokens import Doc, DocBin

    db = DocBin()
    for words, tags in sents:
        words = [w or "_" for w in words]
        doc = Doc(nlp.vocab, words=words, ents=[t if t != "O" else "O" for t in tags])
        db.add(doc)
    db.to_disk(path)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("build/baselines/spacy_eff"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--max-minutes", type=float, default=12)
    args = ap.parse_args(argv)
    import spacy

    train, dev, used = load_training(args.shared, [], False)
    work = Path("build/spacy_work")
    work.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("ar")
    to_docbin(nlp, train, work / "train.spacy")
    to_docbin(nlp, dev, work / "dev.spacy")
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(work / "config.cfg"), "--lang", "ar",
                    "--pipeline", "ner", "--optimize", "efficiency", "--force"], check=True)
    t0 = time.time()
    cmd = [sys.executable, "-m", "spacy", "train", str(work / "config.cfg"), "--output", str(work / "out"),
           "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy"),
           "--training.max_epochs", "30", "--training.patience", "1600"]
    try:
        subprocess.run(cmd, check=True, timeout=args.max_minutes * 60)
    except subprocess.TimeoutExpired:
        print("spacy train stopped at the time limit; using model-best", flush=True)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    shutil.copytree(work / "out" / "model-best", args.out / "spacy")
    meta = {"format_version": 1, "backend": "spacy", "name": "spacy-ner-efficiency-baseline",
            "labels": ["PER", "ORG", "LOC", "MISC"],
            "training": {"sources": [{"name": n, "path": "../shared/data/" + SOURCES[n][0], "what": SOURCES[n][1],
                                      "license": SOURCES[n][2]} for n in used],
                         "dev": "held out: last 10% of ANERcorp train sentences", "seconds": round(time.time() - t0),
                         "command": "python -m pipeline.train.spacy_baseline " + " ".join(argv or sys.argv[1:])}}
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    meta["scores"] = {"anercorp_dev": short(evaluate_dir(args.out, dev))}
    meta["size_bytes"] = dir_size(args.out)
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(json.dumps(meta["scores"]), flush=True)


if __name__ == "__main__":
    main()
