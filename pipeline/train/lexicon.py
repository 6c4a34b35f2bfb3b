"""Build the word-frequency lexicon used to decide proclitic cuts (ولندن -> لندن).

    python -m pipeline.train.lexicon --text ../shared/data/text/arwiki_2017.jsonl.gz --out models/lexicon/wordfreq.tsv.gz

Counts normalized words of the Arabic Wikipedia text (CC BY-SA 4.0) and keeps
those seen at least ``--min-count`` times. Only counts are stored, no text.
"""
from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

import regex

from pipeline.normalize import normalize_text

ARABIC_WORD = regex.compile(r"\p{Arabic}+")


def count_words(path: Path) -> Counter:
    counts: Counter = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            text = normalize_text(json.loads(line)["text"])
            counts.update(ARABIC_WORD.findall(text))
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args(argv)
    counts = count_words(args.text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    kept = [(w, c) for w, c in counts.most_common() if c >= args.min_count]
    # mtime=0: the same input gives a byte-identical file.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{w}\t{c}\n" for w, c in kept).encode("utf-8"))
    print(f"lexicon: {len(kept)} words (count >= {args.min_count}) of {len(counts)} -> {args.out}")


if __name__ == "__main__":
    main()
