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
        tokens: list[Token] = []
        sentences: list[Sentence] = []
        sent_first = 0
        prev_nend = 0
        for m in TOKEN_PATTERN.finditer(ntext):
            nstart, nend = m.span()
            if tokens and sent_first < len(tokens) and "\n" in ntext[prev_nend:nstart]:
                sentences.append(self._sentence(tokens, sent_first))
                sent_first = len(tokens)
            word = m.group()
            if self.segment_clitics and word[0].isalpha():
                self._add_pieces(tokens, norm, word, nstart)
            else:
                start, end = norm.to_original(nstart, nend)
                tokens.append(Token(start, end, word))
            prev_nend = nend
            n_in_sentence = len(tokens) - sent_first
            if word in SENTENCE_END or n_in_sentence >= self.max_sentence_tokens:
                sentences.append(self._sentence(tokens, sent_first))
                sent_first = len(tokens)
        if sent_first < len(tokens):
            sentences.append(self._sentence(tokens, sent_first))
        doc.tokens = tokens
        doc.sentences = sentences
        return doc

    @staticmethod
    def _sentence(tokens: list[Token], first: int) -> Sentence:
        return Sentence(tokens[first].start, tokens[-1].end, first, len(tokens))

    @staticmethod
    def _add_pieces(tokens: list[Token], norm, word: str, nstart: int) -> None:
        split = split_proclitics(word)
        pos = nstart
        for piece in split.prefix:  # each proclitic is one letter
            start, end = norm.to_original(pos, pos + 1)
            tokens.append(Token(start, end, piece))
            pos += 1
        start, end = norm.to_original(pos, nstart + len(word))
        tokens.append(Token(start, end, split.stem))
