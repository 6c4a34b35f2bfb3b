"""Mean and per-fold micro F1 of cross-validation runs (experiments/cv.sh), paired on the folds all have.

    python experiments/cv_summary.py A B C
"""
import json
import sys
from pathlib import Path

names = sys.argv[1:]
scores = {}
for n in names:
    for k in range(5):
        p = Path(f"build/cv_{n}_{k}/meta.json")
        if p.exists():
            scores.setdefault(n, {})[k] = json.loads(p.read_text())["scores"]["anercorp_dev"]
common = sorted(set.intersection(*(set(s) for s in scores.values()))) if scores else []
print("folds in common:", common)
for n, s in scores.items():
    def mean(key):
        return sum(s[k][key] for k in common) / len(common)
    print(f"{n:4} micro {mean('micro_f1'):6.2f}  PER {mean('PER_f1'):6.2f}  ORG {mean('ORG_f1'):6.2f}  "
          f"LOC {mean('LOC_f1'):6.2f}  MISC {mean('MISC_f1'):6.2f}  per fold: "
          + " ".join(f"{s[k]['micro_f1']:.2f}" for k in common))
