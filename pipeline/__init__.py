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
