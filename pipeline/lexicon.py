"""Run-time access to the compiled word-frequency lexicon (models/lexicon/)."""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

LEXICON_FILE = Path(__file__).resolve().parent.parent / "models" / "lexicon" / "wordfreq.tsv.gz"


@lru_cache(maxsize=4)
def load_word_frequencies(path: str | Path = LEXICON_FILE) -> dict[str, int]:
    """Normalized word -> corpus count. Raises a clear error when the file is missing."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"word-frequency lexicon not found at {path}; rebuild it with `make train` "
            "(or `python -m pipeline.train.lexicon --text ../shared/data/text/arwiki_2017.jsonl.gz --out {path}`)"
        )
    counts: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            word, _, count = line.rstrip("\n").partition("\t")
            counts[word] = int(count)
    return counts
