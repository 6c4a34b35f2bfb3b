"""Apposition rule: a person name right after a title phrase starts where the phrase ends.

News introduces people with a title phrase: "سفير كازاخستان لدى مصر خيرات لاما شريف",
"وزير خارجية الأردن أيمن الصفدي". The model often finds the end of such a name but not
its first word when that word is also a common noun (خيرات "goods"). When a model PER
candidate is separated by exactly one word from a title phrase — a title word followed
only by places, "لدى"/"في" and نسبة-free links — that word joins the name.
"""
from __future__ import annotations

from ..clitics import FUNCTION_WORDS
from ..document import Document, Entity
from ..normalize import normalize_text
from .model import PER_TITLES

# Words that may link a title to its places: "سفير X لدى Y", "وزير خارجية X", "رئيس وزراء X".
LINK_WORDS = frozenset(normalize_text(w) for w in "لدى في خارجية الخارجية وزراء الوزراء دفاع الدفاع داخلية الداخلية".split())
MAX_PHRASE_TOKENS = 8


class TitleAppositionRule:
    """Stage: extends model PER candidates leftwards by one word after a title phrase."""

    name = "appositions"

    def __call__(self, doc: Document) -> Document:
        if not doc.tokens:
            return doc
        token_at = {t.start: i for i, t in enumerate(doc.tokens)}
        token_end_at = {t.end: i for i, t in enumerate(doc.tokens)}
        place_tokens = set()
        for c in doc.candidates:
            if c.label == "LOC" and c.start in token_at and c.end in token_end_at:
                place_tokens.update(range(token_at[c.start], token_end_at[c.end] + 1))
        for c in doc.candidates:
            if c.label != "PER" or c.source != "model" or c.start not in token_at:
                continue
            j = token_at[c.start] - 1  # the word that may belong to the name
            if j < 1 or not self._nameable(doc.tokens[j].norm) or j in place_tokens:
                continue
            if self._title_phrase_ends_at(doc, j - 1, place_tokens) and self._same_line(doc, j - 1, token_at[c.start]):
                c.start = doc.tokens[j].start
                c.attrs["extended_by"] = self.name
        return doc

    @staticmethod
    def _nameable(word: str) -> bool:
        return word.isalpha() and len(word) >= 2 and word not in FUNCTION_WORDS and word not in PER_TITLES

    @staticmethod
    def _title_phrase_ends_at(doc: Document, k: int, place_tokens: set[int]) -> bool:
        """Tokens ..k are: a title word, then only places and link words, and at least one place."""
        saw_place = False
        for i in range(k, max(-1, k - MAX_PHRASE_TOKENS), -1):
            word = doc.tokens[i].norm
            if i in place_tokens:
                saw_place = True
            elif word in PER_TITLES:
                return saw_place
            elif word not in LINK_WORDS:
                return False
        return False

    @staticmethod
    def _same_line(doc: Document, a: int, b: int) -> bool:
        return "\n" not in doc.text[doc.tokens[a].end:doc.tokens[b].start]
