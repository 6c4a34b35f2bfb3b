"""Tokenizer stage: sentences and words over the normalized view, offsets in the original.

Words are runs of letters and marks; numbers keep inner separators (3.5, 07/06/2024,
2025-2028) but a final dot is punctuation (``2024.`` -> ``2024`` ``.``); every other
non-space character is a token of its own. Sentences end after . ! ? ؟ … or at a
line break, and are cut at ``max_sentence_tokens`` so one run-on "sentence" of
thousands of words cannot stall a model.
"""
from __future__ import annotations

import regex

from .clitics import split_proclitics
from .document import Document, Sentence, Token
from .normalize import Normalizer

TOKEN_PATTERN = regex.compile(r"[\p{L}\p{M}]+|\d+(?:[.,:/\-]\d+)*|[^\s\p{L}\p{M}\d]")
SENTENCE_END = frozenset(".!?؟…")


class Tokenizer:
    """Stage: fills ``doc.tokens`` and ``doc.sentences`` (normalizes first if needed)."""

    name = "tokenizer"

    def __init__(self, segment_clitics: bool = False, max_sentence_tokens: int = 200):
        self.segment_clitics = segment_clitics
        self.max_sentence_tokens = max_sentence_tokens
        self._normalizer = Normalizer()

    def __call__(self, doc: Document) -> Document:
        self._normalizer(doc)
        norm = doc.normalized
        ntext = norm.text
        # normalized spans first, mapped to the original in one pass at the end
        spans: list[tuple[int, int]] = []
        words: list[str] = []
        bounds: list[tuple[int, int]] = []  # sentences: (first token, end token)
        sent_first = 0
        newline = ntext.find("\n")  # the first line break after the previous token (-1: none left)
        segment = self.segment_clitics
        max_tokens = self.max_sentence_tokens
        for m in TOKEN_PATTERN.finditer(ntext):
            nstart, nend = m.span()
            if 0 <= newline < nstart:  # a line break since the previous token
                if spans and sent_first < len(spans):
                    bounds.append((sent_first, len(spans)))
                    sent_first = len(spans)
                newline = ntext.find("\n", nend)
            word = m.group()
            if segment and word[0].isalpha():
                self._add_pieces(spans, words, word, nstart)
            else:
                spans.append((nstart, nend))
                words.append(word)
            if word in SENTENCE_END or len(spans) - sent_first >= max_tokens:
                bounds.append((sent_first, len(spans)))
                sent_first = len(spans)
        if sent_first < len(spans):
            bounds.append((sent_first, len(spans)))
        tokens = [Token(start, end, word) for (start, end), word in zip(norm.to_original_spans(spans), words)]
        doc.tokens = tokens
        doc.sentences = [Sentence(tokens[first].start, tokens[end - 1].end, first, end) for first, end in bounds]
        return doc

    @staticmethod
    def _add_pieces(spans: list[tuple[int, int]], words: list[str], word: str, nstart: int) -> None:
        split = split_proclitics(word)
        pos = nstart
        for piece in split.prefix:  # each proclitic is one letter
            spans.append((pos, pos + 1))
            words.append(piece)
            pos += 1
        spans.append((pos, nstart + len(word)))
        words.append(split.stem)
