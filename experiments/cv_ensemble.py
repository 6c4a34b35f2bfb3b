"""Score CRF ⊕ BiLSTM ensembles on the held-out folds of experiments/cv_ensemble.sh.

    python experiments/cv_ensemble.py [--crf A] [--crf2 B] [--bilstm bilstm64] [--bilstm2 bilstm64s2] [--weights 0.3,0.5]

For each fold that has both members (build/cv_CRF_K, build/cv_BILSTM_K): the CRF alone, the BiLSTM alone and
the ensemble at each CRF weight, micro F1 on the fold's dev (with document-level propagation, as shipped).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pipeline.train.ner import DEFAULT_SHARED, evaluate_dir, load_training  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crf", default="A")
    ap.add_argument("--bilstm", default="bilstm64")
    ap.add_argument("--crf2", default=None, help="a second CRF member (build/cv_CRF2_K): the CRF weight is split evenly")
    ap.add_argument("--bilstm2", default=None, help="a second BiLSTM member: the BiLSTM weight is split evenly")
    ap.add_argument("--weights", default="0.3,0.4,0.5,0.6,0.7")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    rows: dict[str, list[float]] = {}
    folds = []
    for k in range(5):
        crf, bil = Path(f"build/cv_{args.crf}_{k}"), Path(f"build/cv_{args.bilstm}_{k}")
        crf2 = Path(f"build/cv_{args.crf2}_{k}") if args.crf2 else None
        bil2 = Path(f"build/cv_{args.bilstm2}_{k}") if args.bilstm2 else None
        if not all((d / "meta.json").exists() for d in (crf, bil, crf2, bil2) if d is not None):
            continue
        folds.append(k)
        _, dev, _ = load_training(args.shared, [], False, (k, 5))
        ens = Path(f"build/cv_ens_{args.crf}{'_' + args.crf2 if crf2 else ''}_{args.bilstm}"
                   f"{'_' + args.bilstm2 if bil2 else ''}_{k}")
        ens.mkdir(exist_ok=True)
        models = {"crf": crf, "bilstm": bil} | ({"crf2": crf2} if crf2 else {}) | ({"bilstm2": bil2} if bil2 else {})
        crfs = [crf] + ([crf2] if crf2 else [])
        bils = [bil] + ([bil2] if bil2 else [])
        for w in weights:
            d = ens / f"w{w}"
            d.mkdir(exist_ok=True)
            meta = {"format_version": 1, "backend": "ensemble", "name": "cv ensemble", "labels": ["PER", "ORG", "LOC", "MISC"],
                    "members": [{"dir": str(Path("../../..") / c), "weight": w / len(crfs)} for c in crfs] +
                               [{"dir": str(Path("../../..") / b), "weight": (1 - w) / len(bils)} for b in bils],
                    "propagate": {"min_score": 0.8, "factor": 0.6}}
            (d / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            models[f"ens w_crf={w}"] = d
        for name, d in models.items():
            res = evaluate_dir(d, dev)
            rows.setdefault(name, []).append(100 * res["micro"]["f1"])
            print(k, name, round(100 * res["micro"]["f1"], 2),
                  " ".join(f"{t} {100 * m['f1']:.1f}" for t, m in res["per_type"].items()), flush=True)
    print(f"\nfolds {folds}")
    for name, f1s in rows.items():
        print(f"{name:16s} mean {sum(f1s) / len(f1s):6.2f}   " + " ".join(f"{x:6.2f}" for x in f1s))


if __name__ == "__main__":
    main()
