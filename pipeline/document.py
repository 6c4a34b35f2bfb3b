"""The one document model every stage reads and writes.

The original text is never modified. Every token, sentence and entity carries
``start``/``end`` character offsets into it (Python string indices), so
``doc.text[e.start:e.end]`` is always the mention as written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Token:
    start: int
    end: int
    norm: str  # normalized form, the view models and gazetteers match on


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    first_token: int  # index into Document.tokens
    last_token: int  # exclusive


@dataclass(slots=True)
class Entity:
    start: int
    end: int
    label: str  # PER, ORG, LOC, DATE, MISC
    score: float = 1.0
    source: str = "model"  # model | rule | gazetteer
    value: str | None = None  # ISO 8601 for DATE
    canonical: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)  # e.g. {"hijri": "1436-11-03"}

    def overlaps(self, other: "Entity") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class Document:
    text: str
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    normalized: Any = None  # pipeline.normalize.NormalizedText once normalized
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    # Candidates proposed by recognizers before the finisher resolves overlaps.
    candidates: list[Entity] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"Document text must be str, got {type(self.text).__name__}")

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def token_text(self, token: Token) -> str:
        return self.text[token.start : token.end]

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.first_token : sentence.last_token]

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (binary search), -1 if none."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.sentences) and self.sentences[lo].start <= offset:
            return lo
        return -1
