"""Arabic proclitics: small pure functions over normalized words.

Conjunctions و/ف, prepositions ب/ل/ك and the article ال attach to the next word
(بالقاهرة = ب + القاهرة). Entity text shown to users excludes the separable
proclitics; where ل/ك merged with the article (للوليد = ل + الوليد, the article's
alef dropped), the word cannot be cut in the original text, so only the
canonical form restores the article.
"""
from __future__ import annotations

from dataclasses import dataclass

# Conjunction, then preposition, in the order they stack (و + ب + ال...).
_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")
ARTICLE = "ال"


@dataclass(frozen=True, slots=True)
class Split:
    prefix: str  # separable proclitics cut off the front (may be "")
    stem: str  # what remains in the text (starts with ال when the article is there)
    canonical: str  # citation form: stem, with the article restored after a fused لل

    @property
    def prefix_len(self) -> int:
        return len(self.prefix)


def candidate_splits(word: str, min_stem: int = 2) -> list[Split]:
    """Every reading of ``word`` as proclitics + stem, longest prefix first (the whole word last)."""
    out: list[Split] = []
    conjs = [c for c in _CONJ if word.startswith(c)]
    for conj in [""] + conjs:
        rest = word[len(conj):]
        preps = [p for p in _PREP if rest.startswith(p)]
        for prep in [""] + preps:
            stem = rest[len(prep):]
            prefix = conj + prep
            if not prefix or len(stem) < min_stem:
                continue
            if prep in ("ل", "ك") and stem.startswith("ل") and not stem.startswith(ARTICLE) and len(stem) > 3:
                # ل + ال + X is written لل + X: the article's alef is gone.
                out.append(Split(prefix, stem, ARTICLE + stem[1:]))
            out.append(Split(prefix, stem, stem))
    out.sort(key=lambda s: -len(s.prefix))
    out.append(Split("", word, word))
    return out


def split_proclitics(word: str, known=None) -> Split:
    """Best reading of a normalized word as proclitics + stem.

    A prefix is cut when what remains starts with the article (والقاهرة,
    بالمنظمة), when a fused لل is followed by a plausible stem (للمنظمة), or when
    ``known`` (a container of normalized words, e.g. a lexicon or gazetteer)
    holds the stem but not the whole word (ولندن -> لندن, while وليد stays).
    """
    if len(word) < 3:
        return Split("", word, word)
    for split in candidate_splits(word):
        if not split.prefix:
            break
        stem = split.stem
        if stem.startswith(ARTICLE) and len(stem) >= 4:
            return split
        if split.canonical != stem and len(stem) >= 4:  # fused لل + stem
            if known is None or split.canonical in known or word not in known:
                return split
        if known is not None and stem in known and word not in known and len(stem) >= 3:
            return split
    return Split("", word, word)
