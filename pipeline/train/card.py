"""Write MODEL_CARD.md for a model directory from its meta.json.

    python -m pipeline.train.card models/ner
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _score_table(scores: dict, dev_seen: bool = False) -> str:
    rows = ["| evaluation set | micro P | micro R | micro F1 | PER F1 | ORG F1 | LOC F1 | MISC F1 | words/s (tagging) |",
            "|---|---|---|---|---|---|---|---|---|"]
    names = {"anercorp_dev": "ANERcorp dev (last 10 % of train, held out)",
             "anercorp_test": "ANERcorp test (CAMeL Lab split)", "aqmar_test": "AQMAR test"}
    if dev_seen:
        names["anercorp_dev"] = "ANERcorp dev (last 10 % of train; seen in training with --full, not a fair score)"
    for key, s in scores.items():
        if not isinstance(s, dict):
            continue
        rows.append(f"| {names.get(key, key)} | {s.get('micro_p', '')} | {s.get('micro_r', '')} | "
                    f"**{s['micro_f1']}** | {s.get('PER_f1', '')} | {s.get('ORG_f1', '')} | {s.get('LOC_f1', '')} | "
                    f"{s.get('MISC_f1', '')} | {s.get('words_per_s', '')} |")
    return "\n".join(rows)


def backend_uses_vectors(meta: dict) -> bool:
    return meta.get("backend") in ("bilstm", "ensemble")


# how the card names pipeline.train.vectors' LABELLED_TEXT
LABELLED_TEXT_NAMES = {"anercorp": "ANERcorp train", "aqmar": "AQMAR train (CC BY-SA 3.0)",
                       "aqmar_dev": "AQMAR dev (CC BY-SA 3.0)", "wojood": "the Wojood sample train (MIT)"}


def vector_corpus_note(corpus: dict | None) -> str:
    """What the word vectors were trained on (``corpus.json`` of pipeline.train.vectors; older models lack it)."""
    texts = list(LABELLED_TEXT_NAMES) if corpus is None else corpus["labelled_text"]
    kind = "word2vec" if corpus is None else corpus.get("kind", "word2vec")
    note = (f"The word vectors behind the clusters/embeddings (`pipeline.train.vectors`, {kind}) were trained on "
            "arwiki" + (" plus the token text — labels unused — of " + ", ".join(LABELLED_TEXT_NAMES[t] for t in texts)
                        if texts else " alone"))
    return note + "; the trigger-context flags (`context.tsv.gz`, if present) count contexts in arwiki only."


def write_card(model_dir: Path, notes: str = "") -> str:
    extra_notes = model_dir / "CARD_NOTES.md"
    if not notes and extra_notes.exists():
        notes = "\n" + extra_notes.read_text(encoding="utf-8")
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    tr = meta["training"]
    res = tr.get("resources", {})
    src = "\n".join(f"- {s['what']} — `{s['path']}` — license: {s['license']}" for s in tr["sources"])
    extra = []
    for key in ("unlabelled", "gazetteers"):
        r = res.get(key)
        if r:
            extra.append(f"- {r['what']} — `{r['path']}` — license: {r['license']}"
                         + (f" — used for: {r['use']}" if r.get("use") else ""))
    if tr.get("silver"):
        sv = tr["silver"]
        extra.append(f"- silver training data: {sv['sentences']} {sv['what']} ({sv['tokens']} tokens, from "
                     f"`../shared/data/text/arwiki_2017.jsonl.gz`) — license: {sv['license']}")
    vec_note = ""
    if (res.get("lexicon") or {}).get("clusters") or backend_uses_vectors(meta):
        vec_note = "\n" + vector_corpus_note((res.get("lexicon") or {}).get("vector_corpus")) + "\n"
    if meta.get("selection"):
        vec_note += "\nSelection: " + "; ".join(f"{k}: {v}" for k, v in meta["selection"].items()) + "\n"
    backend = meta["backend"]
    arch = {
        "crf": "python-crfsuite linear-chain CRF (L-BFGS, L1+L2) over hand-written features: normalized word, "
               "proclitic-aware stem, affixes, k-means word clusters (arwiki skip-gram vectors), ANERGazet flags, "
               "title/organization/location trigger words, ±2 token context; where meta.json lists them, quoted-run "
               "features (« ... » names) and finer arwiki head-word statistics; BIO or BIOES tags (meta "
               "`tagging`). Confidence = mean marginal probability of the entity's tags.",
        "bilstm": "char-CNN (30→50, width 3) + frozen 100-d skip-gram word vectors pretrained on arwiki + binary "
                  "gazetteer/trigger/proclitic flags → BiLSTM → CRF, trained in torch and run in numpy (no torch "
                  "at run time). Confidence = mean marginal probability (forward-backward) of the entity's tags.",
        "ensemble": "weighted mean of the per-token tag marginals of its members (" + ", ".join(
            f"`{m['dir']}/` × {m.get('weight', 1.0)}" for m in meta.get("members", [])) + "; each a model dir with "
            "its own meta.json and card, usable alone), then BIO-constrained Viterbi. Members built on the same "
            "lexicon share one featurizer at run time. Confidence = the mean marginal of the entity's tags.",
    }.get(backend, backend)
    card = f"""# Model card: {meta.get('name', 'arabic-ner')} (`{model_dir.name}`)

Statistical Arabic named-entity recognizer of the pipeline (stage `pipeline.recognize.model.EntityRecognizer`,
candidates with `source="model"`). Labels: {', '.join(meta['labels'])} (ANERcorp PERS→PER, AQMAR MIS→MISC).
Tags normalized tokens (`pipeline.normalize.normalize_text`); proclitics stay in the span (a later stage strips them).

- Backend: `{backend}` (format_version {meta['format_version']}). {arch}
- Size on disk: {meta.get('size_bytes', 0) / 1e6:.1f} MB. Created {meta.get('created', '')} from code commit `{meta.get('code_commit', '')}`.
- Reproduce: `{tr.get('command', '')}` (training time {tr.get('seconds', '?')} s on a 2-core CPU).

## Training data and licenses

{src}

Resources built from:

{chr(10).join(extra)}
{vec_note}

Model selection: {tr.get('dev', '')}. {tr.get('sentences', '?')} training sentences, {tr.get('tokens', '?')} tokens.
Not trained on `../shared/data/news/` (SaudiNewsNet, CC BY-NC-SA 4.0) nor on any test file.
The model is a derived work of CC BY-SA data: distribute it under CC BY-SA 4.0 terms.

## Scores (exact-span, seqeval-style; `python -m pipeline.evaluation.ner`)

{_score_table(meta.get('scores', {}), "NOT held out" in tr.get("dev", ""))}

{meta.get('scores', {}).get('note', '')}

## Limitations

- Trained mostly on 2000s newswire (ANERcorp); names unseen in training are found mainly through word
  vectors/clusters and context — recall on rare person names and on organizations is the weak point.
- ANERcorp's MISC class (events, nationalities adjectives, products…) is inconsistent; treat MISC scores with care.
- Dialectal and social-media text is out of domain.
{notes}
"""
    (model_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    return card


if __name__ == "__main__":
    write_card(Path(sys.argv[1] if len(sys.argv) > 1 else "models/ner"))
