"""The whole pipeline (model + gazetteer + rules + finisher) scored on ANERcorp cross-validation blocks.

    python experiments/cv_pipeline.py [--ens cv_ens_DA_bilstm64mt] [--folds 0,1,2,3,4] [--without STAGE ...]
        [--model-only] [--fold-gazetteer NAME] [--errors FILE]

``make eval`` scores the model's own tags. The stages after it (gazetteer, org_phrases, appositions, finisher)
change what a user gets, and their rules are written by hand: this measures them on text the fold's model has
not seen, with ANERcorp's conventions. Fold K uses the members of build/ENS_K/w0.5 (the shipped ensemble recipe
trained without block K; see experiments/cv_ensemble.py) with the shipped model's propagation settings
(models/ner/meta.json, copied into build/cvp_ENS_K) on block K, grouped into pseudo-documents of 20 sentences (one sentence
a line). ANERcorp leaves ministries and committees untagged, so read ORG with care; PER and LOC follow the
conventions a news reader expects. A predicted entity covers the tokens it overlaps (ANERcorp tags والقاهرة whole).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.evaluation.ner import score_spans  # noqa: E402
from pipeline.evaluation.pipeline_ner import CONLL_TYPES as TYPES, conll_spans  # noqa: E402
from pipeline.pipeline import Pipeline, default_config  # noqa: E402
from pipeline.train.ner import DEFAULT_SHARED, load_training  # noqa: E402

DOC_SENTENCES = 20


def run(nlp, dev, errors: Counter | None = None):
    gold, pred = conll_spans(nlp, dev, TYPES, DOC_SENTENCES)
    if errors is not None:
        for (words, _), g, p in zip(dev, gold, pred):
            for kind, spans in (("FP", p - g), ("FN", g - p)):
                for s in spans:
                    errors[(kind, s[2], " ".join(words[s[0]:s[1]]), " ".join(words[max(0, s[0] - 3):s[1] + 2]))] += 1
    return gold, pred


def fold_model(ens: str, k: int, shipped: Path = Path("models/ner")) -> Path:
    """Fold k's ensemble with the shipped model's document-level settings (propagation, family names)."""
    meta = json.loads(Path(f"build/{ens}_{k}/w0.5/meta.json").read_text(encoding="utf-8"))
    meta["propagate"] = json.loads((shipped / "meta.json").read_text(encoding="utf-8")).get("propagate")
    out = Path(f"build/cvp_{ens}_{k}")
    out.mkdir(parents=True, exist_ok=True)
    for m in meta["members"]:  # member dirs were relative to build/ENS_K/w0.5
        m["dir"] = str((Path(f"build/{ens}_{k}/w0.5") / m["dir"]).resolve())
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def fold_gazetteer(shared: Path, k: int, name: str) -> Path:
    """The gazetteer with its entries scored on ANERcorp train without block k (+ AQMAR train)."""
    out = Path(f"build/cv_{name}_{k}")
    if not (out / "entries.tsv").exists():
        out.mkdir(parents=True, exist_ok=True)
        train, _, _ = load_training(shared, [], False, (k, 5))
        with open(out / "train.txt", "w", encoding="utf-8") as f:
            for words, tags in train:
                f.writelines(f"{w} {t}\n" for w, t in zip(words, tags))
                f.write("\n")
        from pipeline.train import gazetteer

        gazetteer.main(["--shared", str(shared), "--out", str(out / "entries.tsv"),
                        "--corpora", str(out / "train.txt"), str(shared / "ner" / "aqmar" / "train.txt")])
    return out / "entries.tsv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ens", default="cv_ens_DA_bilstm64mt")
    ap.add_argument("--folds", default="0,1,2,3,4")
    ap.add_argument("--without", action="append", default=[], metavar="STAGE")
    ap.add_argument("--model-only", action="store_true", help="also score normalizer → tokenizer → ner → finisher")
    ap.add_argument("--errors", type=Path, default=None, help="write the default pipeline's FP/FN here")
    ap.add_argument("--fold-gazetteer", default=None, metavar="NAME",
                    help="score the gazetteer's entries without block K (into build/cv_NAME_K), as make train would")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    folds = [int(k) for k in args.folds.split(",")]
    variants: dict[str, dict] = {"default": {}}
    for stage in args.without:
        variants[f"without {stage}"] = {"drop": {stage}}
    if args.model_only:
        variants["model only"] = {"drop": {"gazetteer", "org_phrases", "place_heads", "appositions", "dates"}}
    totals: dict[str, tuple[list, list]] = {name: ([], []) for name in variants}
    errors: Counter = Counter()
    for k in folds:
        _, dev, _ = load_training(args.shared, [], False, (k, 5))
        model_dir = str(fold_model(args.ens, k))
        config = default_config(types=TYPES + ("DATE",), model_dir=model_dir)
        if args.fold_gazetteer:
            gazetteer = fold_gazetteer(args.shared, k, args.fold_gazetteer)
            for stage in config["stages"]:
                if stage["name"] == "gazetteer":
                    stage["path"] = str(gazetteer)
        for name, v in variants.items():
            cfg = {"stages": [s for s in config["stages"] if s["name"] not in v.get("drop", set())]}
            g, p = run(Pipeline.from_config(cfg), dev, errors if (name == "default" and args.errors) else None)
            totals[name][0].extend(g)
            totals[name][1].extend(p)
            res = score_spans(g, p, TYPES)
            print(f"fold {k} {name:24} F1 {100 * res['micro']['f1']:6.2f}  " +
                  "  ".join(f"{t} {100 * m['f1']:5.1f}" for t, m in res["per_type"].items()), flush=True)
    print(f"\nfolds {folds}, pooled")
    for name, (g, p) in totals.items():
        res = score_spans(g, p, TYPES)
        m = res["micro"]
        print(f"{name:24} P {100 * m['precision']:5.1f} R {100 * m['recall']:5.1f} F1 {100 * m['f1']:6.2f}  " +
              "  ".join(f"{t} {100 * x['precision']:4.1f}/{100 * x['recall']:4.1f}/{100 * x['f1']:4.1f}"
                        for t, x in res["per_type"].items()))
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as f:
            for (kind, label, text, ctx), n in sorted(errors.items(), key=lambda x: (x[0][0], x[0][1], -x[1])):
                f.write(f"{kind}\t{label}\t{n}\t{text}\t{ctx}\n")


if __name__ == "__main__":
    main()
