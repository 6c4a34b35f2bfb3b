"""Normalizer stage: a normalized view of the text with a map back to the original.

Every fold is character-level (a character is kept, replaced by one or more
characters, or removed), so the map from normalized to original offsets is a
plain array. The per-character table is derived once from camel-tools'
``utils`` functions (Unicode normalization, dediacritization, alef /
alef-maksura / teh-marbuta folding) plus our own folds for tatweel,
zero-width and bidi controls, Persian/Urdu letters and non-ASCII digits.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import lru_cache

import regex
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

from .document import Document

# Characters that carry no letter: removed from the normalized view.
_REMOVED = (
    "\u0640"  # tatweel
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space / non-joiner / joiner / word joiner / BOM
    "\u200e\u200f\u061c"  # LRM, RLM, Arabic letter mark
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi embeddings and isolates
    "\u00ad"  # soft hyphen
)
# Persian/Urdu letter shapes that stand for Arabic letters in Arabic text.
_PERSIAN = {"\u06cc": "\u064a", "\u06d2": "\u064a", "\u06a9": "\u0643", "\u06c1": "\u0647",
            "\u06be": "\u0647", "\u06d5": "\u0647", "\u06c0": "\u0647"}
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# Ranges where camel-tools' folds apply (Arabic blocks, presentation forms).
_ARABIC_RANGES = [(0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
_MARKS = regex.compile(r"[\p{Mn}\u0640]")


def _fold_arabic(ch: str) -> str:
    s = normalize_unicode(ch)
    s = dediac_ar(s)
    s = normalize_alef_ar(s)
    s = normalize_alef_maksura_ar(s)
    s = normalize_teh_marbuta_ar(s)
    return "".join(c for c in s if not _MARKS.match(c))


@lru_cache(maxsize=1)
def translation_table() -> dict[int, str]:
    """codepoint -> replacement ('' removes); only entries that change something."""
    table: dict[int, str] = {}
    for lo, hi in _ARABIC_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            folded = _fold_arabic(ch)
            if folded != ch:
                table[cp] = folded
    for i in range(10):  # Arabic-Indic, Persian, full-width digits -> ASCII
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
        table[0xFF10 + i] = str(i)
    for ch, rep in _PERSIAN.items():
        table[ord(ch)] = rep
    for ch in _REMOVED:
        table[ord(ch)] = ""
    for ch in _SPACES:
        table[ord(ch)] = " "
    for cp in list(range(0x00, 0x20)) + [0x7F]:  # control characters (NUL...) become spaces
        if chr(cp) not in "\t\n\r":
            table[cp] = " "
    table[0x066B] = "."  # Arabic decimal separator
    table[0x066C] = ","  # Arabic thousands separator
    # Combining marks outside the Arabic block (e.g. on Latin letters) stay: they
    # are part of the letter there, and NFC text rarely has them.
    return {cp: rep for cp, rep in table.items() if rep != chr(cp)}


@lru_cache(maxsize=1)
def _length_changing_pattern() -> "regex.Pattern[str]":
    chars = [chr(cp) for cp, rep in translation_table().items() if len(rep) != 1]
    return regex.compile("[" + "".join(regex.escape(c) for c in chars) + "]+")


def normalize_text(text: str) -> str:
    """Normalize a string (no offset map): the form used for matching and grouping."""
    return text.translate(translation_table())


@dataclass(slots=True)
class NormalizedText:
    """Normalized view of an original text; ``offsets[i]`` is the original index of char i."""

    text: str
    original: str
    offsets: array | None  # None when the map is the identity

    @classmethod
    def build(cls, original: str) -> "NormalizedText":
        table = translation_table()
        pattern = _length_changing_pattern()
        if pattern.search(original) is None:
            return cls(original.translate(table), original, None)
        offsets = array("l")
        prev = 0
        for m in pattern.finditer(original):
            offsets.extend(range(prev, m.start()))
            for i in range(m.start(), m.end()):
                offsets.extend([i] * len(table[ord(original[i])]))
            prev = m.end()
        offsets.extend(range(prev, len(original)))
        normalized = original.translate(table)
        assert len(offsets) == len(normalized)
        return cls(normalized, original, offsets)

    def original_start(self, nstart: int) -> int:
        if self.offsets is None:
            return nstart
        return self.offsets[nstart] if nstart < len(self.offsets) else len(self.original)

    def original_end(self, nend: int) -> int:
        """Original end offset for a normalized end; trailing diacritics and tatweel stay in."""
        if self.offsets is None:
            return nend
        if nend <= 0:
            return 0
        end = self.offsets[nend - 1] + 1
        original = self.original
        n = len(original)
        while end < n and _MARKS.match(original[end]):
            end += 1
        return end

    def to_original(self, nstart: int, nend: int) -> tuple[int, int]:
        return self.original_start(nstart), self.original_end(nend)


class Normalizer:
    """Stage: sets ``doc.normalized``. Idempotent."""

    name = "normalizer"

    def __call__(self, doc: Document) -> Document:
        if doc.normalized is None:
            doc.normalized = NormalizedText.build(doc.text)
        return doc
