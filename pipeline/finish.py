"""Entity finisher stage: from recognizers' candidates to the final entities.

1. keeps the requested types;
2. trims separable proclitics off the front of names (بالقاهرة -> القاهرة), keeps a
   token whole where ل merged with the article (للوليد) and restores the article
   in ``canonical`` (الوليد), and a describing nisba off the front of a person's
   name (التونسي الحبيب الصيد -> الحبيب الصيد);
3. resolves overlaps by a fixed priority: rules (dates) over the model over the
   gazetteer (a weak rule match, score < 0.8, comes after the model), then the
   longer span, then the higher score;
4. sets ``canonical``: normalized spelling, proclitics removed, spaces collapsed.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping

import regex

from .clitics import NAMES_LIKE_FUNCTION_WORDS, Split, split_proclitics
from .document import Document, Entity

DEFAULT_TYPES = frozenset({"PER", "ORG", "LOC", "DATE"})
ALL_TYPES = frozenset({"PER", "ORG", "LOC", "DATE", "MISC"})
SOURCE_PRIORITY = {"rule": 0, "model": 1, "gazetteer": 2}
# A rule match this unsure (a bare weekday or year: يزيد الخميس) yields to the model.
WEAK_RULE_SCORE = 0.8
# Which bare proclitics may be cut before a name of each type (see clitics.split_proclitics). Names start with
# ك far more often than "like" precedes one (كابل is not ك + إبل, وكالة not و + ك + «اله»), so ك is never cut
# bare; after it the article still is (كالقاهرة).
BARE_PREFIXES = {"PER": "و"}
DEFAULT_BARE_PREFIXES = "وفبل"
_SPACES = regex.compile(r"\s+")
_EDGE_PUNCT = regex.compile(r"^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$")


def canonical_form(normalized_span: str) -> str:
    return _SPACES.sub(" ", _EDGE_PUNCT.sub("", normalized_span)).strip()


class EntityFinisher:
    """Stage: ``doc.candidates`` -> ``doc.entities`` (sorted by offset)."""

    name = "finisher"

    def __init__(self, types: Iterable[str] = DEFAULT_TYPES, word_frequencies: Mapping[str, int] | str | None = "default"):
        """``word_frequencies``: corpus counts deciding bare و/ب/ل/ك cuts; "default" loads
        models/lexicon, None cuts only before the article."""
        self.types = frozenset(types)
        unknown = self.types - ALL_TYPES
        if unknown:
            raise ValueError(f"unknown entity types {sorted(unknown)}; choose from {sorted(ALL_TYPES)}")
        if isinstance(word_frequencies, str):
            from .lexicon import LEXICON_FILE, load_word_frequencies

            word_frequencies = load_word_frequencies(LEXICON_FILE if word_frequencies == "default" else word_frequencies)
        self.word_frequencies = word_frequencies

    def __call__(self, doc: Document) -> Document:
        kept = [self._finish(doc, e) for e in doc.candidates if e.label in self.types]
        kept = [e for e in kept if e is not None]
        kept.sort(key=lambda e: (_priority(e), -(e.end - e.start), -e.score, e.start))
        # a byte per character marks what is taken: linear in the text, however many candidates
        taken = bytearray(len(doc.text))
        chosen: list[Entity] = []
        for entity in kept:
            if taken.find(1, entity.start, entity.end) == -1:
                taken[entity.start:entity.end] = b"\x01" * (entity.end - entity.start)
                chosen.append(entity)
        chosen.sort(key=lambda e: (e.start, e.end))
        doc.entities = chosen
        return doc

    def _finish(self, doc: Document, entity: Entity) -> Entity | None:
        if entity.label == "LOC" and _ends_in_tanween(doc.text, entity.end):
            return None  # «بقي الصراع سورياً» "Syrian": a place's name never takes the indefinite ending
        norm = doc.normalized
        nstart = _normalized_index(norm, entity.start)
        nend = _normalized_index(norm, entity.end)
        ntext = norm.text[nstart:nend]
        if entity.label == "PER" and entity.source != "gazetteer":  # a listed name is whole: الباجي قائد السبسي
            cut = _leading_nisba(ntext)
            if cut:
                nstart += cut
                ntext = ntext[cut:]
                entity.start = norm.original_start(nstart)
        if entity.label != "DATE":
            first_word = ntext.split(" ", 1)[0]
            # a gazetteer entry matched after the first word's proclitics says they are proclitics (لمعمر القذافي,
            # بضباء): that reading is cut, however rare the name
            reading = entity.attrs.get("proclitic")
            if entity.attrs.get("as_written"):
                split = Split("", first_word, first_word)  # a listed name as written: وجدة is Oujda, not و + جدة
            elif isinstance(reading, Split) and first_word.endswith(reading.stem):
                split = reading
            else:
                bare = DEFAULT_BARE_PREFIXES if reading else BARE_PREFIXES.get(entity.label, DEFAULT_BARE_PREFIXES)
                split = split_proclitics(first_word, self.word_frequencies, bare)
            if entity.label == "PER" and first_word[:1] == "و" and first_word[1:] in NAMES_LIKE_FUNCTION_WORDS:
                split = Split("و", first_word[1:], first_word[1:])  # وعلي عواجي: "and Ali", not a name وعلي
            if split.prefix:
                # a ل fused with the article (للوليد) cannot be cut from the text: keep it
                cut = split.prefix_len - (split.canonical != split.stem)
                entity.start = norm.original_start(nstart + cut)
                canonical = split.canonical
                if canonical == "ال" + split.stem and _construct_follows(ntext[len(first_word):]):
                    canonical = split.stem  # «للجنة الانتخابات المركزية»: لجنة in construct takes no article
                ntext = canonical + ntext[len(first_word):]
            entity.canonical = canonical_form(ntext)
        elif entity.canonical is None:
            entity.canonical = canonical_form(ntext)
        if entity.start >= entity.end or not entity.canonical:
            return None
        return entity


def _construct_follows(rest: str) -> bool:
    """The span goes on with a definite noun (not a nisba adjective): the first word is in construct with it."""
    words = rest.split()
    return bool(words) and words[0].startswith("ال") and not words[0].endswith(("ي", "يه")) and len(words[0]) > 3


def _ends_in_tanween(text: str, end: int) -> bool:
    """The word ending at ``end`` ends in alef with tanween: سورياً, written اً, ًا, يًّا, or in presentation forms
    (ﺳﻮﺭﻳﺎﹰ). Marks typed after the span's end count."""
    k = end
    while k < len(text) and (unicodedata.combining(text[k]) or "\ufe70" <= text[k] <= "\ufe7f"):
        k += 1
    tail = unicodedata.normalize("NFKC", text[max(0, end - 3):k]).replace(" ", "")
    return "\u064b" in tail and "ا" in tail


def _leading_nisba(ntext: str) -> int:
    """Length to cut when a person span starts with a definite nisba adjective: «[الأوروغوياني] رودريجيز».

    The adjective describes the person (المدرب الأوروغوياني رودريجيز) and is not part of the name: in ANERcorp
    train 1 of 1,606 multi-word person names starts with one. (Nisba family names come last: أفنان الشعيبي.)
    """
    first, sep, rest = ntext.partition(" ")
    word = first[1:] if first.startswith("وال") else first
    if sep and rest.strip() and word.startswith("ال") and len(word) >= 6 and word.endswith(("ي", "يه")):
        return len(first) + len(sep)
    return 0


def _priority(entity: Entity) -> float:
    rank = SOURCE_PRIORITY.get(entity.source, 9)
    if entity.source == "gazetteer" and entity.attrs.get("ranks_with_model"):
        return SOURCE_PRIORITY["model"]  # then the longer span wins (see GazetteerRecognizer)
    if entity.source == "rule" and entity.score < WEAK_RULE_SCORE:
        return SOURCE_PRIORITY["model"] + 0.5
    return rank


def _normalized_index(norm, original_offset: int) -> int:
    """First normalized index whose original offset is >= ``original_offset``."""
    if norm.offsets is None:
        return original_offset
    return bisect_left(norm.offsets, original_offset)
