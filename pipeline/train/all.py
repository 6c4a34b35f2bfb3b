"""The recipe of the shipped model, end to end from ../shared (what `make train` runs).

    python -m pipeline.train.all --out models/ner

1. word2vec + k-means clusters on arwiki (pipeline.train.vectors)              -> build/vectors (~5 min)
2. trigger-context flags on arwiki, finer head kinds (lexicon_extra --fine)      -> build/vectors (~1 min)
3. stage 1: the CRF on ANERcorp train (RECIPE args)                             -> build/stage1  (~3 min)
4. silver data: arwiki sentences stage 1 tags confidently (pipeline.train.silver) -> build/silver.conll (~4 min)
5. stage 2: the same CRF on ANERcorp train + silver, scored on dev/test/AQMAR     -> --out (~15 min)
Steps 1-2 are skipped when their outputs exist (--rebuild forces them).
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from .data import DEFAULT_SHARED

# The shipped configuration (chosen on the held-out ANERcorp dev; see BENCHMARKS.md "## NER model").
RECIPE = {
    "backend": "crf",
    "args": ["--context", "--quotes", "--bioes", "--full", "--propagate", "0.8"],
    "silver": ["--sentences", "15000", "--keep-rate", "0.5", "--min-entity", "0.9", "--min-o", "0.95"],
    "selection": {
        "config_chosen_on": "ANERcorp dev (held out), all with propagation: CRF+context 75.15 -> + quoted-run "
                            "features 76.1 -> + finer arwiki head kinds 76.4 -> + BIOES 76.8 -> + 15k silver "
                            "arwiki sentences (self-training) 77.3; then retrained on all of ANERcorp train (--full)",
        "propagation": "document-level propagation of spans scored >= 0.8 to untagged repeats (first word may "
                       "carry proclitics; pseudo-documents of 20 sentences in evaluation)",
    },
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("models/ner"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"))
    ap.add_argument("--work", type=Path, default=Path("build"), help="stage-1 model and silver data go here")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.time()
    if args.rebuild and args.vectors.exists():
        shutil.rmtree(args.vectors)
    if not (args.vectors / "clusters1000.tsv").exists():
        from . import vectors

        vectors.main(["--out", str(args.vectors), "--shared", str(args.shared)])
    if not (args.vectors / "context_fine.tsv.gz").exists():
        from . import lexicon_extra

        lexicon_extra.main(["--vectors", str(args.vectors), "--shared", str(args.shared), "--clusters", "",
                            "--pca", "0", "--context-stats", "--fine"])
    from . import ner, silver

    common = ["--shared", str(args.shared), "--vectors", str(args.vectors)]
    stage1 = args.work / "stage1"
    silver_path = args.work / "silver.conll"
    ner.main(common + ["--out", str(stage1)] + RECIPE["args"])
    silver.main(["--model", str(stage1), "--out", str(silver_path), "--shared", str(args.shared)] + RECIPE["silver"])
    ner.main(common + ["--out", str(args.out), "--test", "--silver", str(silver_path)] + RECIPE["args"])

    from .card import write_card

    meta_path = args.out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["selection"] = RECIPE["selection"]
    meta["training"]["command"] = (
        f"python -m pipeline.train.all --out {args.out}  (= pipeline.train.vectors; pipeline.train.lexicon_extra "
        f"--context-stats --fine; stage 1: pipeline.train.ner {' '.join(RECIPE['args'])}; pipeline.train.silver "
        f"{' '.join(RECIPE['silver'])}; stage 2: {meta['training']['command']})")
    meta.setdefault("scores", {})["note"] = ("test/AQMAR scores with document-level propagation over pseudo-documents "
                                             "of 20 sentences; dev was seen in training (--full)")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    write_card(args.out)
    print(f"done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
