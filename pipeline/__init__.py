"""Arabic news entity extraction: normalization → tokenization → NER → tables.

    from pipeline import Pipeline
    nlp = Pipeline.default()
    doc = nlp("عقد سفير كازاخستان لدى مصر خيرات لاما شريف اجتماعا ...")
    doc.entities
"""
from .document import Document, Entity, Sentence, Token
from .pipeline import Pipeline

__all__ = ["Document", "Entity", "Sentence", "Token", "Pipeline"]
__version__ = "0.1.0"

# Optional backends, buildable by name in a config; "module:Class" strings, imported only when used.
from .pipeline import register_stage as _register_stage  # noqa: E402

_register_stage("camel_ner", "pipeline.integrations.camel:CamelNERRecognizer")
_register_stage("camel_segmenter", "pipeline.integrations.camel:CamelSegmenter")


def __getattr__(name: str):
    """Lazy exports: ``pipeline.extract_frame`` (pandas) without importing pandas on ``import pipeline``."""
    if name == "extract_frame":
        from .integrations.pandas import extract_frame

        return extract_frame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
