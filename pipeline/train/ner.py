"""Train the shipped NER model from ../shared/data.

    python -m pipeline.train.ner --out models/ner                 # CRF (default backend)
    python -m pipeline.train.ner --backend crf --out build/m --extra aqmar

Data: ANERcorp train (the last 10 % of its sentences held out as dev for model
selection unless --full), optionally AQMAR train/dev and the Wojood sample
(--extra). Tokens are normalized with ``pipeline.normalize.normalize_text`` —
the view the run time tags. Word clusters come from ``pipeline.train.vectors``
(build/vectors, trained on arwiki); gazetteer flags from ANERGazet.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

from pipeline.evaluation.ner import LABEL_MAP, bio_to_spans, read_conll, score_spans
from pipeline.normalize import normalize_text
from pipeline.recognize.model import SUBWORDS_FILE

from .data import DEFAULT_SHARED

SOURCES = {
    "anercorp": ("ner/anercorp/train.txt", "ANERcorp train (Benajiba 2007; CAMeL Lab split)", "CC BY-SA 4.0"),
    "aqmar": ("ner/aqmar/train.txt", "AQMAR Arabic Wikipedia NER train (Mohit et al. 2012)", "CC BY-SA 3.0"),
    "aqmar_dev": ("ner/aqmar/dev.txt", "AQMAR Arabic Wikipedia NER dev", "CC BY-SA 3.0"),
    "wojood": ("ner/wojood_sample/train.txt", "Wojood sample train (Jarrar et al. 2022), GPE/LOC/ORG/PERS mapped",
               "MIT"),
}
ARWIKI = ("text/arwiki_2017.jsonl.gz", "Arabic Wikipedia 2017 (unlabelled; word vectors / clusters)", "CC BY-SA 4.0")
ANERGAZET = ("ner/gazetteers/", "ANERGazet (Benajiba) gazetteers", "research resource distributed with ANERcorp")
DEV_FRACTION = 0.1
# Wojood maps only the four types that match ANERcorp's; its other types are O.
WOJOOD_MAP = {"PERS": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def load_sents(path: Path, label_map=None) -> list[tuple[list[str], list[str]]]:
    return [([normalize_text(t) for t in toks], tags) for toks, tags in read_conll(path, label_map)]


def parse_fold(ap: argparse.ArgumentParser, value: str | None) -> tuple[int, int] | None:
    """``--cv-fold K/N`` -> (K, N); a bad value is an argparse error."""
    if not value:
        return None
    try:
        k, n = (int(x) for x in value.split("/"))
    except ValueError:
        ap.error(f"--cv-fold wants K/N, e.g. 0/5; got {value!r}")
    if not 0 <= k < n:
        ap.error(f"--cv-fold {value}: K must be in 0..N-1")
    return k, n


def load_training(shared: Path, extra: list[str], full: bool, fold: tuple[int, int] | None = None):
    """ANERcorp train minus the dev part (unless ``full``), plus ``extra`` sets.

    ``fold`` = (k, n): dev is the k-th of n contiguous blocks of ANERcorp train instead of the last 10 %
    (cross-validation: one 422-sentence dev set moves by ±1 point between near-identical models).
    """
    train, dev, used, _ = load_training_domains(shared, extra, full, fold)
    return train, dev, used


def load_training_domains(shared: Path, extra: list[str], full: bool, fold: tuple[int, int] | None = None):
    """As ``load_training``, and each training sentence's domain: 0 = ANERcorp, i = the i-th ``extra`` set."""
    aner = load_sents(shared / SOURCES["anercorp"][0])
    if fold is not None:
        k, n = fold
        a, b = len(aner) * k // n, len(aner) * (k + 1) // n
        train, dev = aner[:a] + aner[b:], aner[a:b]
    else:
        n_dev = int(len(aner) * DEV_FRACTION)
        train, dev = (aner, aner[-n_dev:]) if full else (aner[:-n_dev], aner[-n_dev:])
    used = ["anercorp"]
    domains = [0] * len(train)
    for i, name in enumerate(extra, start=1):
        sents, sources = load_extra(shared, name)
        train += sents
        domains += [i] * len(sents)
        used += sources
    return train, dev, used, domains


def load_extra(shared: Path, name: str) -> tuple[list[tuple[list[str], list[str]]], list[str]]:
    """An extra training set by name (aqmar = its train + dev, wojood), and the SOURCES keys it used."""
    if name == "aqmar":
        return (load_sents(shared / SOURCES["aqmar"][0]) + load_sents(shared / SOURCES["aqmar_dev"][0]),
                ["aqmar", "aqmar_dev"])
    if name == "wojood":
        return load_sents(shared / SOURCES["wojood"][0], WOJOOD_MAP), ["wojood"]
    raise SystemExit(f"unknown extra data set {name!r}")


def build_gazetteer(shared: Path, wiki_names: Path | None = None, wiki_prefix: str = "") -> dict[str, str]:
    """word -> comma-joined flags: ANERGazet's lists, plus the typed arwiki title words of ``wiki_names``
    (pipeline.train.wiki_names) under their own names when ``wiki_prefix`` is set, else as the same flags."""
    flags: dict[str, set[str]] = {}
    for typ, fname in (("LOC", "AlignedLocGazetteer.data"), ("ORG", "AlignedOrgGazetteer.data"),
                       ("PER", "AlignedPersGazetteer.data")):
        p = shared / ANERGAZET[0] / fname
        if not p.exists():
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            line = normalize_text(line.strip())
            if not line or line.startswith("==="):
                continue
            toks = line.split()
            if len(toks) == 1:
                flags.setdefault(toks[0], set()).add(typ + "1")
            else:
                for i, t in enumerate(toks):
                    flags.setdefault(t, set()).add(typ + ("b" if i == 0 else "m"))
    if wiki_names is not None:
        for line in wiki_names.read_text(encoding="utf-8").splitlines():
            w, _, fl = line.partition("\t")
            flags.setdefault(w, set()).update(wiki_prefix + f for f in fl.split(","))
    return {w: ",".join(sorted(f)) for w, f in flags.items()}


def write_lexicon(out: Path, vectors: Path | None, shared: Path, max_cluster_words: int,
                  cluster_ks: str = "200,1000", pca: bool = False, context: str | None = None,
                  wiki_names: Path | None = None, wiki_prefix: str = "") -> dict:
    """Compact word -> (cluster ids..., pca bins...) table and gazetteer flags under ``out``.

    The first two columns (the first two ``cluster_ks``) also feed the context features.
    """
    info = {}
    ks = [int(k) for k in cluster_ks.split(",") if k]
    if vectors is not None and all((vectors / f"clusters{k}.tsv").exists() for k in ks) and ks:
        maps = []
        for k in ks:
            m = {}
            with open(vectors / f"clusters{k}.tsv", encoding="utf-8") as f:
                for i, line in enumerate(f):
                    if i >= max_cluster_words:
                        break
                    w, c = line.rstrip("\n").split("\t")
                    m[w] = c
            maps.append(m)
        pcab = {}
        if pca and (vectors / "pcabins.tsv").exists():
            with open(vectors / "pcabins.tsv", encoding="utf-8") as f:
                for i, line in enumerate(f):
                    if i >= max_cluster_words:
                        break
                    w, _, rest = line.rstrip("\n").partition("\t")
                    pcab[w] = rest
        with gzip.open(out / "clusters.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
            for w in maps[0]:
                row = w + "\t" + "\t".join(m.get(w, "-") for m in maps)
                if pcab:
                    row += "\t" + pcab.get(w, "")
                f.write(row + "\n")
        corpus = vectors / "corpus.json"
        if corpus.exists():
            info["vector_corpus"] = json.loads(corpus.read_text(encoding="utf-8"))
        subwords = vectors / SUBWORDS_FILE
        kind = info.get("vector_corpus", {}).get("kind", "word2vec")
        info["clusters"] = {"k": ks, "pca_bins": bool(pcab), "words": len(maps[0]),
                            "from": f"k-means over skip-gram {kind} vectors on arwiki"}
        if subwords.exists() and ks == [200, 1000]:  # its centroids are those of the default clusterings
            shutil.copy(subwords, out / SUBWORDS_FILE)
            info["clusters"]["unseen_words"] = ("cluster of the nearest centroid to the mean of the word's hashed "
                                                "character 3-5-gram vectors (pipeline.subwords)")
    if context and vectors is not None:
        name, what = {"coarse": ("context.tsv.gz", "--context-stats"),
                      "fine": ("context_fine.tsv.gz", "--context-stats --fine")}[context]
        if (vectors / name).exists():
            shutil.copy(vectors / name, out / "context.tsv.gz")
            info["context_stats"] = f"distributional trigger flags over arwiki (pipeline.train.lexicon_extra {what})"
    gaz = build_gazetteer(shared, wiki_names, wiki_prefix)
    if wiki_names is not None:
        info["wiki_names"] = {"from": "typed arwiki article titles (pipeline.train.wiki_names)",
                              "flags": "separate (" + wiki_prefix + "PER1 ...)" if wiki_prefix else "merged into ANERGazet's"}
    if gaz:
        with gzip.open(out / "gazetteer.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
            for w, fl in sorted(gaz.items()):
                f.write(f"{w}\t{fl}\n")
        info["gazetteer_words"] = len(gaz)
    return info


def train_crf(out: Path, train, c1: float, c2: float, max_iter: int, features: dict | None = None,
              bioes: bool = False, domains: list[int] | None = None) -> None:
    """``domains``: per sentence, 0 = the target (ANERcorp) or i = an extra set whose features are also copied
    as ``D{i}|feature`` — domain-specific weights that absorb that set's own conventions and are never fired
    at run time (Daumé's feature augmentation, target side left as the shared features)."""
    import pycrfsuite

    from pipeline.recognize.model import Featurizer, Lexicon, domain_copy, to_bioes

    feat = Featurizer(Lexicon.load(out), options=features)
    trainer = pycrfsuite.Trainer(verbose=False)
    for k, (words, tags) in enumerate(train):
        xs = feat.sentence(words)
        if domains and domains[k]:
            xs = [f + [domain_copy(domains[k], a) for a in f] for f in xs]
        trainer.append(xs, to_bioes(tags) if bioes else tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    trainer.train(str(out / "crf.model"))


def evaluate_dir(model_dir: Path, sents) -> dict:
    from pipeline.recognize.model import EntityRecognizer

    rec = EntityRecognizer(model_dir)
    t0 = time.perf_counter()
    words = [w for w, _ in sents]
    # pseudo-documents of DOC_WINDOW sentences (for propagation), as pipeline.evaluation.ner does
    from pipeline.evaluation.ner import DOC_WINDOW

    docs = [words[i:i + DOC_WINDOW] for i in range(0, len(words), DOC_WINDOW)]
    pred = [p for d in rec.predict_documents(docs) for p in d]
    secs = time.perf_counter() - t0
    res = score_spans([bio_to_spans(t) for _, t in sents], pred, ["PER", "ORG", "LOC", "MISC"])
    ntok = sum(len(w) for w, _ in sents)
    res["words_per_s"] = ntok / secs
    return res


def short(res: dict) -> dict:
    d = {"micro_f1": round(100 * res["micro"]["f1"], 2),
         "micro_p": round(100 * res["micro"]["precision"], 2), "micro_r": round(100 * res["micro"]["recall"], 2)}
    for t, m in res["per_type"].items():
        d[f"{t}_f1"] = round(100 * m["f1"], 2)
    if "words_per_s" in res:
        d["words_per_s"] = round(res["words_per_s"])
    return d


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        return ""


def replace_dir(tmp: Path, out: Path) -> None:
    """Move a freshly trained model dir into place, keeping ``out/baselines`` (committed comparison models)."""
    if out.exists():
        if (out / "baselines").is_dir() and not (tmp / "baselines").exists():
            shutil.move(str(out / "baselines"), str(tmp / "baselines"))
        shutil.rmtree(out)
    tmp.rename(out)


def dir_size(d: Path) -> int:
    return sum(p.stat().st_size for p in d.rglob("*") if p.is_file() and "baselines" not in p.relative_to(d).parts)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("models/ner"))
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--backend", default="crf", choices=["crf"])
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"),
                    help="output of pipeline.train.vectors (built if missing and --build-vectors)")
    ap.add_argument("--build-vectors", action="store_true", help="train the arwiki vectors/clusters first if absent")
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--extra", default="", help="comma-separated: aqmar,wojood")
    ap.add_argument("--extra-domain", action="store_true",
                    help="extra sets also train domain-specific copies of their features (not used at run time)")
    ap.add_argument("--full", action="store_true", help="train on all of ANERcorp train (dev then not held out)")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--max-iter", type=int, default=200)
    ap.add_argument("--max-cluster-words", type=int, default=150000)
    ap.add_argument("--cluster-ks", default="200,1000")
    ap.add_argument("--pca", action="store_true", help="add binned PCA dims of the word vectors (lexicon_extra)")
    ap.add_argument("--context", nargs="?", const="coarse", default=None, choices=["coarse", "fine"],
                    help="add arwiki trigger-context flags from lexicon_extra: coarse (the bare flag) = "
                         "context.tsv.gz (--context-stats), fine = context_fine.tsv.gz (--context-stats --fine)")
    ap.add_argument("--propagate", type=float, default=None, metavar="MIN_SCORE",
                    help="document-level propagation of spans scored >= MIN_SCORE to their untagged repeats")
    ap.add_argument("--quotes", action="store_true", help="quoted-run features (programme/product/club names)")
    ap.add_argument("--silver", type=Path, default=None, help="silver CoNLL from pipeline.train.silver (self-training)")
    ap.add_argument("--bioes", action="store_true", help="train on BIOES tags instead of BIO")
    ap.add_argument("--wiki-names", type=Path, default=None,
                    help="typed arwiki title words (pipeline.train.wiki_names) added to the gazetteer flags")
    ap.add_argument("--wiki-prefix", default="", help="give the --wiki-names flags their own names (e.g. W)")
    ap.add_argument("--cv-fold", default=None, metavar="K/N",
                    help="hold out the K-th of N contiguous blocks of ANERcorp train as dev (cross-validation)")
    ap.add_argument("--test", action="store_true", help="also score ANERcorp test / AQMAR test into meta.json")
    args = ap.parse_args(argv)

    t0 = time.time()
    if args.build_vectors and not (args.vectors / "clusters200.tsv").exists():
        from . import vectors

        vectors.main(["--out", str(args.vectors), "--shared", str(args.shared)])
    extra = [e for e in args.extra.split(",") if e]
    fold = parse_fold(ap, args.cv_fold)
    train, dev, used, domains = load_training_domains(args.shared, extra, args.full, fold)
    silver_info = None
    if args.silver:
        silver = load_sents(args.silver)
        train = train + silver
        silver_info = {"path": str(args.silver), "sentences": len(silver), "tokens": sum(len(w) for w, _ in silver),
                       "what": "arwiki sentences tagged confidently by a first-stage model (pipeline.train.silver)",
                       "license": ARWIKI[2]}
    tmp = args.out.with_name(args.out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    lex_info = write_lexicon(tmp, None if args.no_clusters else args.vectors, args.shared, args.max_cluster_words,
                             args.cluster_ks, args.pca, args.context, args.wiki_names, args.wiki_prefix)
    meta = {"format_version": 1, "backend": args.backend, "name": "arabic-ner-" + args.backend,
            "labels": ["PER", "ORG", "LOC", "MISC"], "label_map": LABEL_MAP,
            "features": {"quotes": args.quotes}, "tagging": "BIOES" if args.bioes else "BIO",
            "propagate": {"min_score": args.propagate, "factor": 0.6} if args.propagate is not None else None,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "code_commit": git_commit(),
            "training": {"sources": [{"name": n, "path": "../shared/data/" + SOURCES[n][0], "what": SOURCES[n][1],
                                      "license": SOURCES[n][2]} for n in used],
                         "dev": (f"held out: block {args.cv_fold} of ANERcorp train" if fold else
                                 "held out: last 10% of ANERcorp train sentences" + (
                                     " (NOT held out: --full)" if args.full else "")),
                         "sentences": len(train), "tokens": sum(len(w) for w, _ in train),
                         "silver": silver_info,
                         "resources": {"lexicon": lex_info,
                                       "unlabelled": {"path": "../shared/data/" + ARWIKI[0], "what": ARWIKI[1],
                                                      "license": ARWIKI[2]} if "clusters" in lex_info else None,
                                       "gazetteers": {"path": "../shared/data/" + ANERGAZET[0], "what": ANERGAZET[1],
                                                      "license": ANERGAZET[2]}},
                         "params": {"c1": args.c1, "c2": args.c2, "max_iter": args.max_iter, "extra": extra,
                                    "extra_domain": args.extra_domain,
                                    "cluster_ks": args.cluster_ks, "pca": args.pca, "context": args.context,
                                    "quotes": args.quotes, "bioes": args.bioes,
                                    "wiki_names": str(args.wiki_names) if args.wiki_names else None,
                                    "wiki_prefix": args.wiki_prefix},
                         "command": "python -m pipeline.train.ner " + " ".join(argv or __import__("sys").argv[1:])}}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    t1 = time.time()
    train_crf(tmp, train, args.c1, args.c2, args.max_iter, meta["features"], args.bioes,
              domains + [0] * (len(train) - len(domains)) if args.extra_domain else None)
    meta["training"]["seconds"] = round(time.time() - t1)
    scores = {"anercorp_dev": short(evaluate_dir(tmp, dev))}
    if args.test:
        for key, rel in (("anercorp_test", "ner/anercorp/test.txt"), ("aqmar_test", "ner/aqmar/test.txt")):
            scores[key] = short(evaluate_dir(tmp, load_sents(args.shared / rel)))
    meta["scores"] = scores
    meta["size_bytes"] = dir_size(tmp)
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    replace_dir(tmp, args.out)
    from .card import write_card

    write_card(args.out)
    print(json.dumps({"out": str(args.out), "scores": scores, "size_bytes": meta["size_bytes"],
                      "seconds": round(time.time() - t0)}, indent=1))


if __name__ == "__main__":
    main()
