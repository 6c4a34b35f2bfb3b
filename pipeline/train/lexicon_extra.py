"""Extra word-level columns for the CRF lexicon: more k-means granularities and binned PCA dims.

    python -m pipeline.train.lexicon_extra --vectors build/vectors --clusters 50,3000 --pca 16

Writes build/vectors/clusters{k}.tsv and pcabins.tsv (word, then one bin code per dim).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", type=Path, default=Path("build/vectors"))
    ap.add_argument("--clusters", default="50,3000")
    ap.add_argument("--pca", type=int, default=16)
    ap.add_argument("--bins", type=int, default=4)
    ap.add_argument("--words", type=int, default=150000)
    ap.add_argument("--context-stats", action="store_true", help="write <vectors>/context.tsv.gz from arwiki")
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--fine", action="store_true", help="finer head-word kinds in the context stats")
    args = ap.parse_args(argv)
    if args.context_stats:
        from .data import DEFAULT_SHARED

        name = "context_fine.tsv.gz" if args.fine else "context.tsv.gz"
        context_stats(args.shared or DEFAULT_SHARED, args.vectors / name, fine=args.fine)
        print("context stats", flush=True)
    from gensim.models import KeyedVectors
    from sklearn.cluster import MiniBatchKMeans

    kv = KeyedVectors.load(str(args.vectors / "w2v.kv"))
    words = kv.index_to_key[: args.words]
    X = kv.vectors[: len(words)]
    X = X / np.linalg.norm(X, axis=1, keepdims=True).clip(1e-6)
    for k in [int(k) for k in args.clusters.split(",") if k]:
        if (args.vectors / f"clusters{k}.tsv").exists():
            continue
        km = MiniBatchKMeans(n_clusters=k, random_state=13, batch_size=4096, n_init=1, max_iter=50).fit(X)
        with open(args.vectors / f"clusters{k}.tsv", "w", encoding="utf-8") as f:
            for w, c in zip(words, km.labels_):
                f.write(f"{w}\t{c}\n")
        print("clusters", k, flush=True)
    if args.pca:
        Xc = X - X.mean(0)
        _, _, vt = np.linalg.svd(Xc[:50000], full_matrices=False)
        P = Xc @ vt[: args.pca].T
        qs = np.quantile(P, np.linspace(0, 1, args.bins + 1)[1:-1], axis=0)  # (bins-1, pca)
        B = (P[:, None, :] > qs[None]).sum(1)
        with open(args.vectors / "pcabins.tsv", "w", encoding="utf-8") as f:
            for w, row in zip(words, B):
                f.write(w + "\t" + "\t".join(f"{j}:{b}" for j, b in enumerate(row)) + "\n")
        print("pca bins", args.pca, flush=True)



# finer head words (--fine): what kind of name follows them in encyclopedic text
FINE_HEADS = {
    "C": "نادي النادي فريق الفريق منتخب المنتخب لاعب مدرب ناديه",  # sport clubs
    "M": "شركة الشركة شركات مجموعة مصنع مصرف علامة ماركة",  # companies, brands
    "V": "صحيفة جريدة مجلة قناة برنامج إذاعة موقع وكالة فيلم مسلسل كتاب رواية ألبوم أغنية",  # media, works
    "Y": "مدينة بلدة قرية العاصمة عاصمة مدن حي محافظة ولاية",  # settlements
    "K": "دولة جمهورية مملكة بلاد إمارة سلطنة",  # states
}


def context_stats(shared: Path, out: Path, min_count: int = 3, fine: bool = False) -> None:
    """Model-free distributional trigger statistics over the unlabelled arwiki text.

    For each word: how often the token before it is a person title, an organization head word, a
    location head word or preposition, a speech verb; and how often the next is بن/ابن. Ratios are
    binned into flags such as ``T2`` (>=10 % after a title). Written as word<TAB>flags lines.
    ``fine`` adds the head-word kinds of FINE_HEADS, a preposition before it (I), and a masculine (N)
    or feminine (F) nisba adjective after it (نادي ليون الفرنسي vs مدينة ليون الفرنسية).
    """
    import gzip as _gz
    import json as _json
    from collections import Counter, defaultdict

    from pipeline.normalize import normalize_text
    from pipeline.recognize.model import LOC_HEADS, ORG_HEADS, PER_TITLES, SAY_VERBS, Featurizer, Lexicon
    from pipeline.tokenize import TOKEN_PATTERN

    feat = Featurizer(Lexicon())
    loose_cache: dict[str, str] = {}

    def loose(w: str) -> str:
        s = loose_cache.get(w)
        if s is None:
            s = feat.word_info(w)[2] if w else w
            if len(loose_cache) < 500_000:
                loose_cache[w] = s
        return s

    total: Counter = Counter()
    ctx: dict[str, Counter] = defaultdict(Counter)
    bin_words = {normalize_text(w) for w in ("بن", "ابن", "بنت")}
    fine_heads = {normalize_text(w): k for k, ws in FINE_HEADS.items() for w in ws.split()} if fine else {}
    from pipeline.recognize.model import LOC_PREPS
    with _gz.open(shared / "text" / "arwiki_2017.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            toks = TOKEN_PATTERN.findall(normalize_text(_json.loads(line)["text"]))
            prev = ""
            for i, w in enumerate(toks):
                total[w] += 1
                pl = loose(prev) if prev else ""
                if pl in PER_TITLES:
                    ctx[w]["T"] += 1
                if pl in ORG_HEADS:
                    ctx[w]["O"] += 1
                if pl in LOC_HEADS:
                    ctx[w]["L"] += 1
                if prev in SAY_VERBS:
                    ctx[w]["S"] += 1
                nxt = toks[i + 1] if i + 1 < len(toks) else ""
                if nxt in bin_words:
                    ctx[w]["B"] += 1
                if fine:
                    k = fine_heads.get(pl)
                    if k:
                        ctx[w][k] += 1
                    if prev in LOC_PREPS:
                        ctx[w]["I"] += 1
                    if len(nxt) >= 5 and nxt.startswith("ال"):
                        if nxt.endswith("ي"):
                            ctx[w]["N"] += 1
                        elif nxt.endswith("يه") or nxt.endswith("ية"):
                            ctx[w]["F"] += 1
                prev = w
    with _gz.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        for w, n in total.items():
            if n < min_count or w not in ctx:
                continue
            flags = []
            for k, c in ctx[w].items():
                r = c / n
                b = 3 if r >= 0.3 else 2 if r >= 0.1 else 1 if r >= 0.02 else 0
                if b and c >= 2:
                    flags.append(f"{k}{b}")
            if flags:
                f.write(f"{w}\t{','.join(sorted(flags))}\n")


if __name__ == "__main__":
    main()
