"""Score the pipeline on a document with a gold entity list (the reference document).

    python -m pipeline.evaluation.reference [TEXT GOLD.json]

Gold files list entities as ``{"type", "text", "value"?}`` without offsets, so the
comparison is on distinct (type, text) pairs, and on values for dates.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.train.data import DEFAULT_SHARED


def score_document(nlp, text: str, gold: dict) -> dict:
    doc = nlp(text, id=gold.get("doc_id", ""), meta={"published": gold.get("published")})
    found = {(e.label, doc.text[e.start:e.end]): e.value for e in doc.entities}
    expected = {(g["type"], g["text"]): g.get("value") for g in gold["entities"]}
    tp = set(found) & set(expected)
    values_right = sum(1 for k in tp if k[0] != "DATE" or found[k] == expected[k])
    return {
        "precision": len(tp) / len(found) if found else 0.0,
        "recall": len(tp) / len(expected) if expected else 0.0,
        "found": len(found), "expected": len(expected), "matched": len(tp), "values_right": values_right,
        "missed": sorted(set(expected) - set(found)), "extra": sorted(set(found) - set(expected)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    examples = DEFAULT_SHARED / "examples"
    parser.add_argument("text", nargs="?", type=Path, default=examples / "kazakhstan_oic_2024.txt")
    parser.add_argument("gold", nargs="?", type=Path, default=examples / "kazakhstan_oic_2024.gold.json")
    args = parser.parse_args(argv)
    if not args.text.is_file():
        print(f"reference document not found at {args.text} (needs ../shared/data); skipped")
        return 0
    from pipeline import Pipeline

    res = score_document(Pipeline.default(), args.text.read_text(encoding="utf-8"),
                         json.loads(args.gold.read_text(encoding="utf-8")))
    print(f"reference document {args.text.name}: P {100 * res['precision']:.1f}  R {100 * res['recall']:.1f}  "
          f"({res['matched']}/{res['expected']} gold entities, {res['found']} found, "
          f"{res['values_right']}/{res['matched']} values right)")
    for label, text in res["missed"]:
        print(f"  missed {label:4} {text}")
    for label, text in res["extra"]:
        print(f"  extra  {label:4} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
