"""The recipe of the shipped model, end to end from ../shared (what `make train` runs).

    python -m pipeline.train.all --out models/ner

1. word2vec + k-means clusters on arwiki (pipeline.train.vectors)        -> build/vectors  (~5 min)
2. trigger-context flags on arwiki (pipeline.train.lexicon_extra)          -> build/vectors  (~2 min)
3. the members of RECIPE, each a model dir of its own under --out          (~8 + ~10 min)
4. the ensemble's meta.json over them, scored on ANERcorp dev/test and AQMAR test, and its model card
Steps 1-2 are skipped when their outputs exist and the vectors saw the recipe's corpus (--rebuild forces them).
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from .data import DEFAULT_SHARED

# The shipped configuration (chosen by 5-fold cross-validation over ANERcorp train; BENCHMARKS.md "## NER model").
RECIPE = {
    # the vectors' corpus, as pipeline.train.vectors records it in corpus.json: the default (arwiki + the labelled
    # sets' text). Leaving ANERcorp train's text out (--without anercorp) was measured in session 9: no difference
    # beyond the run-to-run noise
    "vectors": {"without": [], "kind": "word2vec"},
    "members": [
        {"dir": "crf", "trainer": "ner", "weight": 0.5,
         "args": ["--context", "--full", "--propagate", "0.8", "--extra", "aqmar,wojood", "--extra-domain"]},
        {"dir": "bilstm", "trainer": "bilstm", "weight": 0.5,
         "args": ["--full", "--hidden", "64", "--epochs", "16", "--id-embeddings", "32,16,16", "--threads", "1",
                  "--extra", "aqmar,wojood", "--extra-heads"]},
    ],
    "propagate": {"min_score": 0.8, "factor": 0.6, "surnames": True},
    "selection": {
        "config_chosen_on": "5-fold cross-validation over ANERcorp train (experiments/cv_ensemble.sh + "
                            "cv_ensemble.py, with propagation): CRF alone 75.42, BiLSTM-CRF 64 hidden 71.24, + trainable "
                            "word/cluster lookups 73.78; ensemble (weight 0.5) 75.85 without, 76.27 with the lookups "
                            "(4 of 5 folds above the CRF); weights 0.4/0.6: 75.96/76.15. AQMAR + Wojood as separate "
                            "domains (CRF: domain-specific feature copies, BiLSTM: an output head per set): CRF 75.42 "
                            "-> 75.75, BiLSTM 73.78 -> 74.07, ensemble 76.27 -> 77.01 (all 5 folds up)",
        "propagation": "document-level propagation of spans scored >= 0.8 to untagged repeats (first word may "
                       "carry proclitics): ANERcorp dev 73.6 -> 75.15 for the CRF (pseudo-documents of 20 sentences); "
                       "a confident person's family name also tags its lone repeats: 5-fold CV of the whole pipeline "
                       "(experiments/cv_pipeline.py --model-only) 76.70 -> 77.46, PER 74.1 -> 76.6, all 5 folds up",
        "not_shipped": "quoted-run features + finer arwiki head kinds + BIOES and silver arwiki self-training gave "
                       "nothing in 5-fold cross-validation (models/ner/baselines/crf_v3_silver for comparison)",
    },
}


def vectors_match(vectors: Path) -> bool:
    """Do the vectors in ``vectors`` exist and leave out what the recipe leaves out?"""
    from .vectors import CORPUS_FILE

    if not (vectors / "clusters1000.tsv").exists():
        return False
    corpus = vectors / CORPUS_FILE  # vectors built before it existed saw the default corpus
    built = json.loads(corpus.read_text(encoding="utf-8")) if corpus.exists() else {}
    want = RECIPE["vectors"]
    return (sorted(built.get("without", [])) == sorted(want["without"])
            and built.get("kind", "word2vec") == want["kind"])


def vectors_args() -> list[str]:
    """pipeline.train.vectors arguments for the recipe's corpus."""
    want = RECIPE["vectors"]
    return (["--without", ",".join(want["without"])] if want["without"] else []) + (
        ["--fasttext"] if want["kind"] == "fastText" else [])


def train_member(member: dict, out: Path, common: list[str]) -> None:
    if member["trainer"] == "ner":
        from . import ner as trainer
    else:
        from . import bilstm as trainer
    trainer.main(["--out", str(out)] + common + member["args"])


def write_ensemble(out: Path, shared: Path, seconds: float, final: Path) -> None:
    """The ensemble's meta.json (members, sources, scores) for members already under ``out`` (moved to ``final``)."""
    from pipeline.evaluation.ner import LABEL_MAP

    from .ner import DEV_FRACTION, dir_size, evaluate_dir, git_commit, load_sents, short, SOURCES

    members = [json.loads((out / m["dir"] / "meta.json").read_text(encoding="utf-8")) for m in RECIPE["members"]]
    sources = {s["name"]: s for mm in members for s in mm["training"]["sources"]}
    meta = {
        "format_version": 1, "backend": "ensemble", "name": "arabic-ner (CRF ⊕ BiLSTM-CRF)",
        "labels": ["PER", "ORG", "LOC", "MISC"], "label_map": LABEL_MAP,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "code_commit": git_commit(),
        "members": [{"dir": m["dir"], "weight": m["weight"]} for m in RECIPE["members"]],
        "propagate": RECIPE["propagate"],
        "training": {
            "sources": list(sources.values()),
            "dev": members[0]["training"]["dev"],
            "sentences": members[0]["training"]["sentences"], "tokens": members[0]["training"]["tokens"],
            "resources": members[-1]["training"]["resources"],
            "members": {m["dir"]: mm["training"]["command"] for m, mm in zip(RECIPE["members"], members)},
            "command": "python -m pipeline.train.all --out " + str(final),
            "seconds": round(seconds),
        },
        "selection": RECIPE["selection"],
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    aner = load_sents(shared / SOURCES["anercorp"][0])
    scores = {"anercorp_dev": short(evaluate_dir(out, aner[-int(len(aner) * DEV_FRACTION):]))}
    for key, rel in (("anercorp_test", "ner/anercorp/test.txt"), ("aqmar_test", "ner/aqmar/test.txt")):
        scores[key] = short(evaluate_dir(out, load_sents(shared / rel)))
    scores["note"] = ("test/AQMAR scores with document-level propagation over pseudo-documents of 20 sentences; "
                      "dev was seen in training (--full). Members alone: " + "; ".join(
                          f"{m['dir']} test {mm['scores']['anercorp_test']['micro_f1']}"
                          for m, mm in zip(RECIPE["members"], members)))
    meta["scores"] = scores
    meta["size_bytes"] = dir_size(out)
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("models/ner"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--jobs", type=int, default=1, help="train the members in this many processes at once")
    args = ap.parse_args(argv)
    t0 = time.time()
    if args.rebuild and args.vectors.exists():
        shutil.rmtree(args.vectors)
    if not vectors_match(args.vectors):
        from . import vectors

        print(f"building {args.vectors} ({' '.join(vectors_args()) or 'default corpus'})", flush=True)
        vectors.main(["--out", str(args.vectors), "--shared", str(args.shared)] + vectors_args())
    if not (args.vectors / "context.tsv.gz").exists():
        from . import lexicon_extra

        lexicon_extra.main(["--vectors", str(args.vectors), "--shared", str(args.shared), "--clusters", "",
                            "--pca", "0", "--context-stats"])
    from .ner import replace_dir

    tmp = args.out.with_name(args.out.name + ".all.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    common = ["--shared", str(args.shared), "--vectors", str(args.vectors), "--test"]
    if args.jobs > 1:  # members are independent: one process each (the BiLSTM trains on one thread)
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for done in [pool.submit(train_member, m, tmp / m["dir"], common) for m in RECIPE["members"]]:
                done.result()
    else:
        for member in RECIPE["members"]:
            train_member(member, tmp / member["dir"], common)
    write_ensemble(tmp, args.shared, time.time() - t0, args.out)
    replace_dir(tmp, args.out)  # keeps args.out/baselines
    from .card import write_card

    for meta_path in [args.out / "meta.json"] + [args.out / m["dir"] / "meta.json" for m in RECIPE["members"]]:
        text = meta_path.read_text(encoding="utf-8")  # commands name where the model ends up, not the temp dir
        meta_path.write_text(text.replace(str(tmp), str(args.out)), encoding="utf-8")
    for m in RECIPE["members"]:
        write_card(args.out / m["dir"])
    write_card(args.out)  # after the move: the card names the final directory
    print(f"done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
