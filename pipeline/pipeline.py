"""Pipeline: an ordered, configurable list of named stages.

A stage is any object with ``name`` and ``__call__(doc) -> doc`` (and optionally
``pipe(docs)``). Stages are built by name from a plain, picklable config, so an
engine can rebuild the same pipeline in another process or on a Dask worker.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from .document import Document
from .finish import DEFAULT_TYPES

# name -> "module:Class"; imported lazily so building a pipeline without the model
# (or without dates) never imports what it does not use.
STAGES: dict[str, str] = {
    "normalizer": "pipeline.normalize:Normalizer",
    "tokenizer": "pipeline.tokenize:Tokenizer",
    "ner": "pipeline.recognize.model:EntityRecognizer",
    "dates": "pipeline.recognize.dates:DateRecognizer",
    "gazetteer": "pipeline.recognize.gazetteer:GazetteerRecognizer",
    "appositions": "pipeline.recognize.appositions:TitleAppositionRule",
    "org_phrases": "pipeline.recognize.org_phrases:OrgPhraseRule",
    "place_heads": "pipeline.recognize.place_heads:PlaceHeadRule",
    "finisher": "pipeline.finish:EntityFinisher",
}


def register_stage(name: str, target: str | Callable[..., Any]) -> None:
    """Make a stage buildable by name: ``target`` is "module:Class" or a factory."""
    STAGES[name] = target  # type: ignore[assignment]


def build_stage(name: str, **options: Any):
    target = STAGES.get(name)
    if target is None:
        raise ValueError(f"unknown stage {name!r}; known stages: {', '.join(sorted(STAGES))}")
    if isinstance(target, str):
        module_name, _, attr = target.partition(":")
        target = getattr(importlib.import_module(module_name), attr)
    return target(**options)


def default_config(
    types: Iterable[str] = DEFAULT_TYPES,
    model_dir: str | None = None,
    ner: bool = True,
    dates: bool = True,
    gazetteer: bool = True,
) -> dict[str, Any]:
    types = sorted(types)
    stages: list[dict[str, Any]] = [{"name": "normalizer"}, {"name": "tokenizer"}]
    if ner and set(types) - {"DATE"}:
        stages.append({"name": "ner", "model_dir": model_dir})
    if gazetteer and set(types) & {"LOC", "ORG", "PER"}:
        stages.append({"name": "gazetteer"})
    if ner and "ORG" in types:
        stages.append({"name": "org_phrases"})
    if ner and "LOC" in types:
        stages.append({"name": "place_heads"})
    if ner and "PER" in types:
        stages.append({"name": "appositions"})
    if dates and "DATE" in types:
        stages.append({"name": "dates"})
    stages.append({"name": "finisher", "types": types})
    return {"stages": stages}


class Pipeline:
    def __init__(self, stages: Sequence[Any], config: Mapping[str, Any] | None = None):
        self.stages = list(stages)
        self.config = dict(config) if config is not None else None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Pipeline":
        stages = []
        for spec in config["stages"]:
            spec = dict(spec)
            stages.append(build_stage(spec.pop("name"), **spec))
        return cls(stages, config)

    @classmethod
    def default(cls, **options: Any) -> "Pipeline":
        """normalizer → tokenizer → ner → gazetteer → org_phrases → place_heads → appositions → dates → finisher (see ``default_config``)."""
        return cls.from_config(default_config(**options))

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def get_stage(self, name: str):
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)

    def make_doc(self, text_or_doc: str | Document, id: str = "", meta: Mapping[str, Any] | None = None) -> Document:
        if isinstance(text_or_doc, Document):
            return text_or_doc
        return Document(text_or_doc, id=id, meta=dict(meta or {}))

    def __call__(self, text_or_doc: str | Document, id: str = "", meta: Mapping[str, Any] | None = None) -> Document:
        doc = self.make_doc(text_or_doc, id, meta)
        for stage in self.stages:
            doc = stage(doc)
        return doc

    def pipe(self, docs: Iterable[Document | str], batch_size: int = 64) -> Iterator[Document]:
        """Process documents in batches; stages with ``pipe`` get the whole batch."""
        batch: list[Document] = []
        for i, item in enumerate(docs):
            batch.append(self.make_doc(item, id=str(i)) if isinstance(item, str) else item)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Document]) -> list[Document]:
        for stage in self.stages:
            if hasattr(stage, "pipe"):
                batch = list(stage.pipe(batch))
            else:
                batch = [stage(doc) for doc in batch]
        return batch

    def to_frame(self, texts_or_records: Iterable[Any], text_field: str = "text", id_field: str = "id",
                 keep_fields: Sequence[str] = (), context_chars: int = 60):
        """Mention table (pandas DataFrame) for strings, Documents or dict records."""
        import pandas as pd

        from .table import columns_for, mention_rows

        docs = (as_document(item, i, text_field, id_field) for i, item in enumerate(texts_or_records))
        rows: list[dict[str, Any]] = []
        for doc in self.pipe(docs):
            rows.extend(mention_rows(doc, keep_fields, context_chars))
        return pd.DataFrame(rows, columns=columns_for(keep_fields))


def as_document(item: Any, index: int, text_field: str = "text", id_field: str = "id") -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(item, id=str(index))
    if isinstance(item, Mapping):
        if text_field not in item:
            raise KeyError(f"record {index} has no text field {text_field!r} (fields: {', '.join(map(str, item))})")
        text = item[text_field]
        doc_id = item.get(id_field)
        meta = {k: v for k, v in item.items() if k != text_field}
        return Document("" if text is None else str(text), id=str(index if doc_id is None else doc_id), meta=meta)
    raise TypeError(f"cannot make a document from {type(item).__name__}")
