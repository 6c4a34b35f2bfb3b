"""The whole default pipeline (model + gazetteer + rules + finisher) scored on PER/ORG/LOC in news documents.

    python -m pipeline.evaluation.pipeline_ner [--split val,test] [--without STAGE ...] [--anercorp]

``make eval``'s NER figures score the model's tags on ANERcorp, whose conventions leave ministries, committees
and municipalities untagged (وزارة الخارجية is O there). A reader of the extracted tables expects them: the
reference document's gold lists «اللجنة الوطنية لشؤون المرأة والأسرة والسياسة الديموغرافية» as an ORG. Wojood
(Jarrar et al. 2022) tags organizations that way, so its val/test documents (not used in training: the
shipped model sees Wojood *train* only) measure what the pipeline's output is worth to that reader, and what
a stage adds (``--without``). Exact token spans, outermost PERS/ORG/GPE/LOC tag (GPE and LOC both count as
LOC); a predicted entity covers the tokens it overlaps (the finisher cuts و/ب/ل off names, Wojood does not).

``--anercorp`` also scores the pipeline on the ANERcorp test with ANERcorp's conventions (PER/ORG/LOC/MISC, without
``org_phrases``): what the model's figure in ``make eval`` becomes once the gazetteer and the finisher have run.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.evaluation.dates import char_to_tokens, layout, read_wojood
from pipeline.evaluation.ner import DOC_WINDOW, _map_tag, bio_to_spans, read_conll, repair_bio, score_spans
from pipeline.normalize import normalize_text
from pipeline.train.data import DEFAULT_SHARED

WOJOOD_TYPES = {"PERS": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
TYPES = ("PER", "ORG", "LOC")
CONLL_TYPES = ("PER", "ORG", "LOC", "MISC")  # ANERcorp's


def gold_document(doc_sents) -> list[set[tuple[int, int, str]]]:
    out = []
    for sent in doc_sents:
        tags = repair_bio([_map_tag(t, WOJOOD_TYPES) for _, t in sent])
        out.append(set(bio_to_spans(tags)))
    return out


def predict_document(nlp, doc_sents, types=TYPES) -> list[set[tuple[int, int, str]]]:
    """Our entities of ``types`` over one document (its sentences on lines), as token spans per sentence."""
    texts, layouts, base = [], [], 0
    for s in doc_sents:
        t, offs = layout(s)
        layouts.append((base, offs))
        texts.append(t)
        base += len(t) + 1
    doc = nlp("\n".join(texts))
    out: list[set[tuple[int, int, str]]] = [set() for _ in doc_sents]
    for e in doc.entities:
        if e.label not in types:
            continue
        for k, (b, offs) in enumerate(layouts):
            if offs and b <= e.start < b + offs[-1][1]:
                span = char_to_tokens(offs, e.start - b, e.end - b)
                if span:
                    out[k].add((span[0], span[1], e.label))
                break
    return out


def conll_spans(nlp, sents, types=CONLL_TYPES, window: int = DOC_WINDOW):
    """Gold and predicted token spans of CoNLL ``sents`` ((words, BIO tags) pairs), run through ``nlp`` in
    pseudo-documents of ``window`` sentences (one sentence a line), as the model's own evaluation groups them."""
    gold, pred = [], []
    for i in range(0, len(sents), window):
        chunk = sents[i:i + window]
        gold += [set(bio_to_spans(tags)) for _, tags in chunk]
        pred += predict_document(nlp, [list(zip(words, tags)) for words, tags in chunk], types)
    return gold, pred


def _percent(res: dict) -> dict:
    rows = dict(res["per_type"], micro=res["micro"])
    return {key: {"p": 100 * m["precision"], "r": 100 * m["recall"], "f1": 100 * m["f1"], "gold": m["gold"]}
            for key, m in rows.items()}


def score(nlp, docs) -> dict:
    """Exact-span P/R/F1 (in %) and gold counts per type and micro, over all sentences of ``docs``."""
    gold, pred = [], []
    for doc_sents in docs:
        gold += gold_document(doc_sents)
        pred += predict_document(nlp, doc_sents)
    return _percent(score_spans(gold, pred, TYPES))


def format_row(title: str, res: dict, types=TYPES) -> str:
    m = res["micro"]
    per_type = "  ".join(f"{t} {res[t]['f1']:5.1f}" for t in types)
    return f"{title:28} micro P {m['p']:5.1f} R {m['r']:5.1f} F1 {m['f1']:5.1f}   {per_type}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--split", default="val,test", help="Wojood sample splits, comma-separated")
    ap.add_argument("--model", default=None, help="model dir (default: the shipped one)")
    ap.add_argument("--without", action="append", default=[], metavar="STAGE",
                    help="also score the pipeline without this stage (repeatable)")
    ap.add_argument("--anercorp", action="store_true",
                    help="also score the pipeline (without org_phrases) on the ANERcorp test, ANERcorp's conventions")
    args = ap.parse_args(argv)
    if args.anercorp:
        score_anercorp(args.shared, args.model)
    folder = args.shared / "ner" / "wojood_sample"
    if not folder.is_dir():
        print(f"Wojood sample not found at {folder} (needs ../shared/data); skipped")
        return 0
    from pipeline.pipeline import Pipeline, default_config

    docs = [d for split in args.split.split(",") for d in read_wojood(folder / f"{split}.txt")]
    # dates run as in production (a DATE claims نيسان "April" before the gazetteer's Nissan); only PER/ORG/LOC are scored
    config = default_config(types=TYPES + ("DATE",), model_dir=args.model)
    variants = [("default pipeline", config)]
    for stage in args.without:
        variants.append((f"without {stage}", {"stages": [s for s in config["stages"] if s["name"] != stage]}))
    n_gold = None
    for title, cfg in variants:
        res = score(Pipeline.from_config(cfg), docs)
        n_gold = n_gold or {t: res[t]["gold"] for t in TYPES}
        print(format_row(title, res))
    print(f"Wojood sample {args.split}: {len(docs)} documents, gold " + ", ".join(f"{t} {n}" for t, n in n_gold.items()))
    return 0


def score_anercorp(shared: Path, model: str | None) -> None:
    from pipeline.pipeline import Pipeline, default_config

    path = shared / "ner" / "anercorp" / "test.txt"
    if not path.is_file():
        print(f"ANERcorp test not found at {path} (needs ../shared/data); skipped")
        return
    sents = [([normalize_text(w) for w in words], tags) for words, tags in read_conll(path)]
    config = default_config(types=CONLL_TYPES + ("DATE",), model_dir=model)
    variants = [("model + finisher", {"gazetteer", "org_phrases", "place_heads", "appositions", "dates"}),
                ("pipeline without org_phrases", {"org_phrases"})]
    for title, drop in variants:
        nlp = Pipeline.from_config({"stages": [s for s in config["stages"] if s["name"] not in drop]})
        print(format_row(title, _percent(score_spans(*conll_spans(nlp, sents), CONLL_TYPES)), CONLL_TYPES))
    print(f"ANERcorp test ({len(sents)} sentences, pseudo-documents of {DOC_WINDOW}): PER/ORG/LOC/MISC, exact token spans")


if __name__ == "__main__":
    raise SystemExit(main())
