"""Tokenizer stage: sentences and words over the normalized view, offsets in the original.

Words are runs of letters and marks; numbers keep inner separators (3.5, 07/06/2024,
2025-2028) but a final dot is punctuation (``2024.`` -> ``2024`` ``.``); every other
non-space character is a token of its own. Sentences end after . ! ? ؟ … or at a
line break, and are cut at ``max_sentence_tokens`` so one run-on "sentence" of
thousands of words cannot stall a model. The dots of a spelled acronym («إف. بي. آي»)
end no sentence.
"""
from __future__ import annotations

import regex

from .clitics import split_proclitics
from .document import Document, Sentence, Token
from .normalize import Normalizer, normalize_text

TOKEN_PATTERN = regex.compile(r"[\p{L}\p{M}]+|\d+(?:[.,:/\-]\d+)*|[^\s\p{L}\p{M}\d]")
SENTENCE_END = frozenset(".!?؟…")
# Latin letters spelled in Arabic (normalized), as acronyms write them with dots: «إف. بي. آي», «بي. بي. سي»
LETTER_NAMES = frozenset(normalize_text(w) for w in """إيه أي إي بي سي دي إف جي إتش آي جيه كيه كي إل إم إن أو كيو
آر إس تي يو في دبليو إكس واي زد زي""".split())
_NEXT_WORD = regex.compile(r"\s*([\p{L}\p{M}]+)")


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
            if (word in SENTENCE_END and not (word == "." and self._acronym_dot(words, spans, ntext, nend))) \
                    or len(spans) - sent_first >= max_tokens:
                bounds.append((sent_first, len(spans)))
                sent_first = len(spans)
        if sent_first < len(spans):
            bounds.append((sent_first, len(spans)))
        tokens = [Token(start, end, word) for (start, end), word in zip(norm.to_original_spans(spans), words)]
        doc.tokens = tokens
        doc.sentences = [Sentence(tokens[first].start, tokens[end - 1].end, first, end) for first, end in bounds]
        return doc

    @staticmethod
    def _acronym_dot(words: list[str], spans: list[tuple[int, int]], ntext: str, nend: int) -> bool:
        """The dot just appended follows a spelled letter and another comes next, inside an acronym: «بي. بي. سي»,
        «إف.أيه». One letter word with a dot after it may end a sentence (…عبر بي. في المقابل), so the run needs
        a letter and its dot before this one, or no space before the next letter, or a dot after it."""
        if len(words) < 2 or words[-2] not in LETTER_NAMES or spans[-2][1] != spans[-1][0]:
            return False
        m = _NEXT_WORD.match(ntext, nend)
        if m is None or m.group(1) not in LETTER_NAMES:
            return False
        inside = len(words) >= 4 and words[-3] == "." and words[-4] in LETTER_NAMES
        return inside or m.start(1) == nend or ntext.startswith(".", m.end(1))

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
