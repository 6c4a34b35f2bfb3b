"""NER evaluation: CoNLL reader and seqeval-style exact-span P/R/F1.

    python -m pipeline.evaluation.ner            # ANERcorp test + AQMAR test, shipped model and baselines
    python -m pipeline.evaluation.ner GOLD.conll # one file, shipped model

Gold files hold ``token TAG [TAG...]`` lines with a blank line between sentences;
Wojood's ``$#$ O`` lines are document separators. Label names are mapped to one
scheme (ANERcorp PERS -> PER, AQMAR MIS -> MISC, Wojood GPE -> LOC); other types
become O. Spans are exact: same first token, last token and type.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

LABEL_MAP = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC",
             "MISC": "MISC", "MIS": "MISC"}
TYPES = ("PER", "ORG", "LOC", "MISC")
SEPARATOR = "$#$"

Span = tuple[int, int, str]  # token start, token end (exclusive), label


def _map_tag(tags: Sequence[str], label_map: dict[str, str]) -> str:
    """First (outermost) tag whose type maps into our scheme, else O."""
    for tag in tags:
        if tag == "O" or "-" not in tag:
            continue
        prefix, _, typ = tag.partition("-")
        mapped = label_map.get(typ.upper())
        if mapped is not None and prefix in ("B", "I", "E", "S"):
            return ("B-" if prefix in ("B", "S") else "I-") + mapped
    return "O"


def repair_bio(tags: list[str]) -> list[str]:
    """I-X that does not continue an X becomes B-X."""
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def read_conll(path: str | Path, label_map: dict[str, str] | None = None,
               doc_starts: list[int] | None = None) -> list[tuple[list[str], list[str]]]:
    """Sentences as (tokens, BIO tags in the PER/ORG/LOC/MISC scheme).

    If ``doc_starts`` is a list, the index of the first sentence after each ``$#$`` separator is appended.
    """
    label_map = LABEL_MAP if label_map is None else label_map
    sentences: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if toks:
            sentences.append((toks[:], repair_bio(tags)))
        toks.clear()
        tags.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                flush()
                continue
            if parts[0] == SEPARATOR:
                flush()
                if doc_starts is not None:
                    doc_starts.append(len(sentences))
                continue
            if len(parts) == 1:  # a token without a tag: treat as O
                parts.append("O")
            toks.append(parts[0])
            tags.append(_map_tag(parts[1:], label_map))
    flush()
    return sentences


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """seqeval (non-strict) chunking: an I-X after something else starts a new X."""
    spans: list[Span] = []
    start, label = -1, None
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if label is not None:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (-1, None)
    return spans


def spans_to_bio(spans: Iterable[Sequence], n: int) -> list[str]:
    tags = ["O"] * n
    for s in spans:
        start, end, label = s[0], s[1], s[2]
        tags[start] = "B-" + label
        for i in range(start + 1, end):
            tags[i] = "I-" + label
    return tags


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": n_pred, "gold": n_gold}


def score_spans(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Sequence]],
                types: Sequence[str] | None = None) -> dict:
    """Exact-span micro and per-type P/R/F1 over aligned sentences."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    counts: dict[str, list[int]] = {}
    for g_sent, p_sent in zip(gold, pred):
        g = {(s[0], s[1], s[2]) for s in g_sent}
        p = {(s[0], s[1], s[2]) for s in p_sent}
        for s in g:
            counts.setdefault(s[2], [0, 0, 0])[2] += 1
        for s in p:
            c = counts.setdefault(s[2], [0, 0, 0])
            c[1] += 1
            c[0] += s in g
    types = list(types) if types is not None else sorted(counts)
    per_type = {t: prf(*counts.get(t, [0, 0, 0])) for t in types}
    tot = [sum(counts.get(t, [0, 0, 0])[k] for t in counts) for k in range(3)]
    return {"micro": prf(*tot), "per_type": per_type}


def score_tags(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> dict:
    return score_spans([bio_to_spans(t) for t in gold_tags], [bio_to_spans(t) for t in pred_tags])


DOC_WINDOW = 20  # sentences per pseudo-document when a gold file has no document separators


def evaluate_conll(path: str | Path, recognizer, label_map: dict[str, str] | None = None,
                   doc_window: int = DOC_WINDOW) -> dict:
    """Score ``recognizer`` (anything with ``predict(list[list[str]]) -> spans``) on a gold CoNLL file.

    Tokens are normalized with ``pipeline.normalize.normalize_text`` (the run-time view),
    gold tokenization is kept. If the recognizer has ``predict_documents`` (document-level
    propagation), documents are the file's ``$#$``-separated parts, else consecutive windows of
    ``doc_window`` sentences (ANERcorp and AQMAR have no document boundaries).
    Returns {"micro", "per_type", "sentences", "tokens", "seconds", "words_per_s"}.
    """
    from pipeline.normalize import normalize_text

    starts: list[int] = []
    data = read_conll(path, label_map, starts)
    sents = [[normalize_text(t) for t in toks] for toks, _ in data]
    t0 = time.perf_counter()
    if hasattr(recognizer, "predict_documents"):
        bounds = sorted({0, *starts} | (set() if starts else set(range(0, len(sents), doc_window))))
        bounds = [b for b in bounds if b < len(sents)] + [len(sents)]
        docs = [sents[a:b] for a, b in zip(bounds, bounds[1:])]
        pred = [p for d in recognizer.predict_documents(docs) for p in d]
    else:
        pred = recognizer.predict(sents)
    secs = time.perf_counter() - t0
    gold = [bio_to_spans(tags) for _, tags in data]
    present = [t for t in TYPES if any(s[2] == t for g in gold for s in g)]
    res = score_spans(gold, pred, present + sorted({s[2] for p in pred for s in p} - set(present)))
    ntok = sum(map(len, sents))
    res.update(path=str(path), sentences=len(sents), tokens=ntok, seconds=secs,
               words_per_s=ntok / secs if secs else 0.0)
    return res


def format_result(res: dict, title: str = "") -> str:
    lines = []
    if title:
        lines.append(title)
    lines.append(f"  {'type':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
    for t, m in list(res["per_type"].items()) + [("micro", res["micro"])]:
        lines.append(f"  {t:6} {100*m['precision']:6.1f} {100*m['recall']:6.1f} {100*m['f1']:6.1f} "
                     f"{m['gold']:6d} {m['pred']:6d}")
    if "words_per_s" in res:
        lines.append(f"  {res['tokens']} tokens, {res['words_per_s']:,.0f} words/s (tagging only)")
    return "\n".join(lines)


def _shared() -> Path:
    return Path(os.environ.get("ARABIC_NER_SHARED", Path(__file__).resolve().parents[2].parent / "shared" / "data"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*", help="gold CoNLL files (default: ANERcorp test and AQMAR test)")
    ap.add_argument("--model", default=None, help="model dir (default: the shipped models/ner)")
    ap.add_argument("--baselines", default=None,
                    help="comma-separated baseline model dirs to score in the same run "
                         "(default: every models/ner/baselines/* and build/baselines/* that exists)")
    args = ap.parse_args(argv)
    from pipeline.paths import default_model_dir
    from pipeline.recognize.model import EntityRecognizer

    golds = [Path(g) for g in args.gold]
    if not golds:
        shared = _shared()
        golds = [shared / "ner/anercorp/test.txt", shared / "ner/aqmar/test.txt"]
        missing = [g for g in golds if not g.exists()]
        if missing:
            print(f"gold files not found: {', '.join(map(str, missing))} (set ARABIC_NER_SHARED)", file=sys.stderr)
            return 2
    main_dir = Path(args.model) if args.model else default_model_dir()
    models = [("shipped " + str(main_dir), main_dir)]
    try:  # an ensemble's members, each alone: what the ensemble adds, measured in the same run
        members = json.loads((main_dir / "meta.json").read_text(encoding="utf-8")).get("members") or []
    except (OSError, ValueError):
        members = []
    models += [(f"member {m['dir']} alone ({main_dir / m['dir']})", main_dir / m["dir"]) for m in members]
    if args.baselines is not None:
        models += [(f"baseline {b}", Path(b)) for b in args.baselines.split(",") if b]
    else:
        root = Path(__file__).resolve().parents[2]
        seen = set()
        for base in (main_dir / "baselines", root / "build" / "baselines"):
            if base.is_dir():
                for d in sorted(base.iterdir()):
                    if (d / "meta.json").exists() and d.name not in seen:
                        seen.add(d.name)
                        models.append((f"baseline {d.name} ({d})", d))
    for gold in golds:
        print(f"== {gold}")
        for name, d in models:
            try:
                rec = EntityRecognizer(d)
            except Exception as exc:  # e.g. the spaCy baseline without spaCy installed
                if name.startswith("shipped"):
                    raise
                print(f"{name}: skipped ({exc})")
                continue
            res = evaluate_conll(gold, rec)
            print(format_result(res, f"{name} [{rec.backend_name}]"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
