"""Where the pipeline finds its shipped resources."""
from __future__ import annotations

import os
from pathlib import Path


def default_model_dir() -> Path:
    """The shipped NER model: ``$ARABIC_NER_MODEL`` if set, else ``<repo>/models/ner``."""
    env = os.environ.get("ARABIC_NER_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models" / "ner"
