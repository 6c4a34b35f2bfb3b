"""Evaluate the DATE recognizer next to dateparser's ``search_dates``, in one run on the same input.

    python -m pipeline.evaluation.dates [--splits test,val] [--speed-docs 3000] [--no-dateparser]

Reports
1. DATE span precision/recall/F1 on the Wojood sample (``../shared/data/ner/wojood_sample``),
   token-level exact match, for ours and for ``dateparser.search.search_dates(languages=['ar'])``:
   - ``strict``: the token span must equal Wojood's;
   - ``edges``: both gold and predicted spans are first stripped of edge tokens that Wojood
     puts inside DATE but we do not (brackets, and the prepositions/trigger words in
     ``EDGE_WORDS``: بتاريخ، منذ، خلال، في ...). The same stripping is applied to both sides.
2. Value accuracy on the suite ``tests/data/dates_suite.jsonl`` (positives: exact span and exact
   ISO value; negatives: nothing found overlapping the context's decoy), for ours and for
   dateparser (``RELATIVE_BASE`` = the case's reference date; its datetime is written at the
   expected granularity when it is a prefix-compatible match, see ``_dp_value``).
3. Throughput of the date stage alone (``DateRecognizer`` on pre-normalized documents) on the
   first N articles of ``news/saudinewsnet.jsonl.gz``.

Wojood conventions that differ from ours (documented in BENCHMARKS.md, "## Dates"):
durations (لعدة أيام، 8 سنوات، عامين), frequencies (يومياً، أسبوعياً، شهرياً), historical periods
(الفترة العثمانية) and ages (سن الرابعة عشرة) are DATE in Wojood, not dates for us; Wojood spans
include the leading preposition/trigger (بتاريخ، منذ، خلال، قبل/بعد + year) and brackets.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "data" / "dates_suite.jsonl"

# Tokens Wojood keeps at the edges of a DATE and we leave out (compared after stripping, both sides).
EDGE_WORDS = {
    "(", ")", "[", "]", ":", "،", ",", "-", ".", "/",
    "بتاريخ", "وبتاريخ", "تاريخ", "منذ", "ومنذ", "خلال", "وخلال", "في", "وفي", "حتى", "وحتى", "الى", "إلى",
    "قبل", "وقبل", "بعد", "وبعد", "فترة", "لفترة", "مدة", "لمدة", "الموافق", "ميلادي", "ميلادية", "م", "هجري",
    "هجرية", "هـ", "بين", "وبين", "من", "ومن", "عند", "لسنة", "لعام", "للعام", "للسنة", "العام", "عام", "سنة",
}


def shared_dir() -> Path:
    return Path(os.environ.get("ARABIC_NER_SHARED", ROOT.parent / "shared" / "data"))


# --------------------------------------------------------------------------- Wojood

def read_wojood(path: Path) -> list[list[list[tuple[str, list[str]]]]]:
    """Documents -> sentences -> (token, tags). ``$#$`` lines separate documents."""
    docs: list[list[list[tuple[str, list[str]]]]] = []
    sents: list[list[tuple[str, list[str]]]] = []
    cur: list[tuple[str, list[str]]] = []
    for line in path.open(encoding="utf-8"):
        parts = line.split()
        if not parts:
            if cur:
                sents.append(cur)
                cur = []
            continue
        if parts[0] == "$#$":
            if cur:
                sents.append(cur)
                cur = []
            if sents:
                docs.append(sents)
                sents = []
            continue
        cur.append((parts[0], parts[1:]))
    if cur:
        sents.append(cur)
    if sents:
        docs.append(sents)
    return docs


def gold_spans(sent, label: str = "DATE") -> list[tuple[int, int]]:
    spans, start = [], None
    for i, (_, tags) in enumerate(sent):
        if start is not None and f"I-{label}" not in tags:
            spans.append((start, i))
            start = None
        if f"B-{label}" in tags:
            start = i
    if start is not None:
        spans.append((start, len(sent)))
    return spans


def layout(sent) -> tuple[str, list[tuple[int, int]]]:
    text, offs, pos = [], [], 0
    for tok, _ in sent:
        offs.append((pos, pos + len(tok)))
        text.append(tok)
        pos += len(tok) + 1
    return " ".join(text), offs


def char_to_tokens(offs, start: int, end: int) -> tuple[int, int] | None:
    toks = [i for i, (s, e) in enumerate(offs) if s < end and start < e]
    return (toks[0], toks[-1] + 1) if toks else None


def strip_edges(sent, span: tuple[int, int]) -> tuple[int, int]:
    a, b = span
    while a < b and sent[a][0] in EDGE_WORDS:
        a += 1
    while b > a and sent[b - 1][0] in EDGE_WORDS:
        b -= 1
    return (a, b) if a < b else span


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours_wojood(doc_sents) -> list[list[tuple[int, int]]]:
    """Run our recognizer on a whole document (sentences on lines), spans per sentence in tokens."""
    from pipeline.recognize.dates import find_dates

    texts, layouts = [], []
    for s in doc_sents:
        t, offs = layout(s)
        layouts.append((len("\n".join(texts)) + (1 if texts else 0), offs))
        texts.append(t)
    full = "\n".join(texts)
    out: list[list[tuple[int, int]]] = [[] for _ in doc_sents]
    ents = find_dates(full, None)
    for e in ents:
        for k, (base, offs) in enumerate(layouts):
            if base <= e.start < base + (offs[-1][1] if offs else 0):
                span = char_to_tokens(offs, e.start - base, e.end - base)
                if span:
                    out[k].append(span)
                break
    return out


def dateparser_spans(text: str, settings=None) -> list[tuple[int, int, object]]:
    from dateparser.search import search_dates

    try:
        res = search_dates(text, languages=["ar"], settings=settings or {})
    except Exception:  # dateparser raises on some inputs
        res = None
    out, pos = [], 0
    for sub, when in res or []:
        i = text.find(sub, pos)
        if i < 0:
            i = text.find(sub)
            if i < 0:
                continue
        out.append((i, i + len(sub), when))
        pos = i + len(sub)
    return out


def eval_wojood(split: str, use_dateparser: bool) -> dict:
    path = shared_dir() / "ner" / "wojood_sample" / f"{split}.txt"
    docs = read_wojood(path)
    res = {}
    systems = ["ours"] + (["dateparser"] if use_dateparser else [])
    for system in systems:
        counts = {"strict": [0, 0, 0], "edges": [0, 0, 0]}
        t0 = time.perf_counter()
        for doc in docs:
            if system == "ours":
                preds = ours_wojood(doc)
            else:
                preds = []
                for s in doc:
                    text, offs = layout(s)
                    ps = []
                    for a, b, _ in dateparser_spans(text):
                        span = char_to_tokens(offs, a, b)
                        if span:
                            ps.append(span)
                    preds.append(ps)
            for s, pred in zip(doc, preds):
                gold = gold_spans(s)
                for mode in ("strict", "edges"):
                    g = set(gold) if mode == "strict" else {strip_edges(s, x) for x in gold}
                    p = set(pred) if mode == "strict" else {strip_edges(s, x) for x in pred}
                    c = counts[mode]
                    c[0] += len(g & p)
                    c[1] += len(p)
                    c[2] += len(g)
        res[system] = {mode: (*prf(*c), c[1], c[2]) for mode, c in counts.items()}
        res[system]["seconds"] = time.perf_counter() - t0
    return res


def dev_set(splits=("train", "val")):
    """The DATE development set: every Wojood DATE span of the dev splits, with its sentence.

    Built from ``../shared/data`` at run time (the corpus is not copied into the repository);
    ``python -m pipeline.evaluation.dates --dump-dev dev.jsonl`` writes it out.
    """
    for split in splits:
        for d, doc in enumerate(read_wojood(shared_dir() / "ner" / "wojood_sample" / f"{split}.txt")):
            for k, sent in enumerate(doc):
                text, offs = layout(sent)
                for a, b in gold_spans(sent):
                    yield {"split": split, "doc": d, "sentence": k, "text": text,
                           "start": offs[a][0], "end": offs[b - 1][1], "tokens": [a, b],
                           "span": text[offs[a][0]:offs[b - 1][1]]}


# --------------------------------------------------------------------------- suite

def load_suite(path: Path = SUITE) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _dp_value(when, expected: str | None) -> str | None:
    """dateparser returns a datetime; write it at the granularity of the expected value."""
    if when is None:
        return None
    d = when.date()
    if expected and len(expected) == 4 and expected.isdigit():
        return f"{d.year:04d}"
    if expected and len(expected) == 7 and expected[4] == "-" and "W" not in expected:
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def eval_suite(use_dateparser: bool) -> dict:
    from pipeline.recognize.dates import find_dates, parse_reference_date

    cases = load_suite()
    out = {}
    systems = ["ours"] + (["dateparser"] if use_dateparser else [])
    for system in systems:
        ok_pos = n_pos = ok_neg = n_neg = span_ok = loose_ok = 0
        failures = []
        for c in cases:
            ctx, expr = c["context"], c.get("expression")
            ref = c.get("reference_date")
            refd = parse_reference_date(ref)
            if system == "ours":
                found = [(e.start, e.end, e.value) for e in find_dates(ctx, refd)]
            else:
                settings = {"RELATIVE_BASE": dt.datetime.combine(refd, dt.time(12))} if refd else {}
                found = [(a, b, _dp_value(w, c.get("value"))) for a, b, w in dateparser_spans(ctx, settings)]
            if expr is None:
                n_neg += 1
                decoy = c.get("decoy")
                if decoy:
                    i = ctx.find(decoy)
                    bad = [f for f in found if f[0] < i + len(decoy) and i < f[1]]
                else:
                    bad = found
                if not bad:
                    ok_neg += 1
                else:
                    failures.append((c, bad))
                continue
            n_pos += 1
            i = ctx.find(expr)
            hit = [f for f in found if f[0] == i and f[1] == i + len(expr)]
            if any(f[0] < i + len(expr) and i < f[1] and f[2] == c.get("value") for f in found):
                loose_ok += 1
            if hit:
                span_ok += 1
            if hit and hit[0][2] == c.get("value"):
                ok_pos += 1
            else:
                failures.append((c, found))
        out[system] = {"pos": (ok_pos, n_pos), "span": (span_ok, n_pos), "loose": (loose_ok, n_pos), "neg": (ok_neg, n_neg),
                       "all": (ok_pos + ok_neg, n_pos + n_neg), "failures": failures}
    return out


# --------------------------------------------------------------------------- speed

def speed(n_docs: int) -> dict:
    from pipeline.document import Document
    from pipeline.normalize import Normalizer
    from pipeline.recognize.dates import DateRecognizer

    path = shared_dir() / "news" / "saudinewsnet.jsonl.gz"
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(docs) >= n_docs:
                break
            r = json.loads(line)
            if r.get("text"):
                docs.append(Document(r["text"], id=r["id"], meta={"published": r.get("published")}))
    words = sum(len(d.text.split()) for d in docs)
    norm = Normalizer()
    t0 = time.perf_counter()
    for d in docs:
        norm(d)
    t_norm = time.perf_counter() - t0
    rec = DateRecognizer()
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for d in docs:
        rec(d)
        n += len(d.candidates)
    t, c = time.perf_counter() - t0, time.process_time() - c0
    return {"docs": len(docs), "words": words, "seconds": t, "wps": words / t, "wps_cpu": words / c, "dates": n,
            "wps_with_norm": words / (t + t_norm)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--splits", default="test,val", help="Wojood sample splits to score (default test,val)")
    ap.add_argument("--speed-docs", type=int, default=3000, help="news articles for the throughput figure (0: skip)")
    ap.add_argument("--no-dateparser", action="store_true", help="skip the dateparser baseline")
    ap.add_argument("--show-failures", action="store_true", help="list suite cases we get wrong")
    ap.add_argument("--dump-dev", metavar="PATH", help="write the DATE dev set (Wojood train+val DATE spans) as JSONL ('-' = stdout) and exit")
    args = ap.parse_args(argv)
    if args.dump_dev:
        out = sys.stdout if args.dump_dev == "-" else open(args.dump_dev, "w", encoding="utf-8")
        n = 0
        for row in dev_set():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        if out is not sys.stdout:
            out.close()
        print(f"{n} DATE spans", file=sys.stderr)
        return 0
    use_dp = not args.no_dateparser
    if use_dp:
        try:
            import dateparser  # noqa: F401
        except ImportError:
            print("dateparser not installed: baseline skipped (pip install dateparser)", file=sys.stderr)
            use_dp = False
    wj = shared_dir() / "ner" / "wojood_sample"
    if wj.exists():
        for split in [s for s in args.splits.split(",") if s]:
            res = eval_wojood(split, use_dp)
            print(f"Wojood sample {split}: DATE spans (token-level exact match)")
            print(f"  {'system':<11} {'mode':<7} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
            for system, r in res.items():
                for mode in ("strict", "edges"):
                    p, rc, f, npred, ngold = r[mode]
                    print(f"  {system:<11} {mode:<7} {100 * p:6.1f} {100 * rc:6.1f} {100 * f:6.1f} {npred:5d} {ngold:5d}")
    else:
        print(f"skipped Wojood: {wj} not found (../shared/data absent)")
    if SUITE.exists():
        res = eval_suite(use_dp)
        print(f"Suite {SUITE.relative_to(ROOT)}: exact span + exact ISO value")
        for system, r in res.items():
            (a, n), (s, _), (lo, _), (b, m), (c, k) = r["pos"], r["span"], r["loose"], r["neg"], r["all"]
            print(f"  {system:<11} values right {a}/{n} = {100 * a / n:5.1f}%   spans right {100 * s / n:5.1f}%   "
                  f"value right on any overlapping span {100 * lo / n:5.1f}%   "
                  f"negatives clean {b}/{m} = {100 * b / max(m, 1):5.1f}%   all cases {100 * c / k:5.1f}%")
        if args.show_failures:
            for c, found in res["ours"]["failures"]:
                print("  FAIL", json.dumps(c, ensure_ascii=False), "->", found)
    if args.speed_docs and (shared_dir() / "news").exists():
        sp = speed(args.speed_docs)
        print(f"Speed: date stage alone on {sp['docs']} saudinewsnet articles ({sp['words']:,} words): "
              f"{sp['wps']:,.0f} words/s wall, {sp['wps_cpu']:,.0f} words/s of CPU time ({sp['dates']:,} dates); "
              f"with normalization {sp['wps_with_norm']:,.0f} words/s wall")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
