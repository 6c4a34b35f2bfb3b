"""Reading the labelled corpora under ../shared/data/ner for training."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.evaluation.ner import read_conll

DEFAULT_SHARED = Path(os.environ.get("ARABIC_NER_SHARED",
                                     Path(__file__).resolve().parents[2].parent / "shared" / "data"))


def read_conll_tokens(path: Path) -> list[list[str]]:
    return [toks for toks, _ in read_conll(path)]
