"""Mention table: one row per entity mention, in a fixed column order."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import regex

from .document import Document

MENTION_COLUMNS = (
    "doc_id", "entity_id", "type", "text", "canonical", "start", "end",
    "value", "score", "source", "sentence_id", "context",
)
# Always written after the core columns: the Hijri form of a Hijri date.
EXTRA_COLUMNS = ("hijri",)
_WHITESPACE = regex.compile(r"\s+")


def kept_column(name: str, reserved: Iterable[str] = MENTION_COLUMNS + EXTRA_COLUMNS) -> str:
    """Column for an input field carried into a table: ``doc_<name>`` where the name is a core column
    (a news dump's ``source`` must not replace the entity's ``source``)."""
    return f"doc_{name}" if name in tuple(reserved) else name


def context_window(text: str, start: int, end: int, width: int = 60) -> str:
    """Text around a mention on one line: ``width`` characters each side."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    return _WHITESPACE.sub(" ", text[left:right]).strip()


def mention_rows(doc: Document, keep_fields: Sequence[str] = (), context_chars: int = 60) -> list[dict[str, Any]]:
    rows = []
    for i, e in enumerate(doc.entities):
        row = {
            "doc_id": doc.id,
            "entity_id": i,
            "type": e.label,
            "text": doc.text[e.start:e.end],
            "canonical": e.canonical,
            "start": e.start,
            "end": e.end,
            "value": e.value,
            "score": round(float(e.score), 4),
            "source": e.source,
            "sentence_id": doc.sentence_index(e.start),
            "context": context_window(doc.text, e.start, e.end, context_chars),
            "hijri": e.attrs.get("hijri"),
        }
        for name in keep_fields:
            row[kept_column(name)] = doc.meta.get(name)
        rows.append(row)
    return rows


def columns_for(keep_fields: Sequence[str] = (), extra: Iterable[str] = ()) -> list[str]:
    cols = list(MENTION_COLUMNS) + list(EXTRA_COLUMNS)
    for name in list(extra) + [kept_column(k) for k in keep_fields]:
        if name not in cols:
            cols.append(name)
    return cols
