"""Arabic proclitics: small pure functions over normalized words.

Conjunctions و/ف, prepositions ب/ل/ك and the article ال attach to the next word
(بالقاهرة = ب + القاهرة). Entity text shown to users excludes the separable
proclitics; where ل/ك merged with the article (للوليد = ل + الوليد, the article's
alef dropped), the word cannot be cut in the original text, so only the
canonical form restores the article.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Conjunction, then preposition, in the order they stack (و + ب + ال...).
_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")
_PROCLITICS = _CONJ + _PREP
ARTICLE = "ال"
# Function words are never the stem of a bare-letter cut: لاما is not ل + أما, بان not ب + أن, وبلدية not و + ب + لديه.
FUNCTION_WORDS = frozenset("""
اما ان من ما لا الا له لها لهم هو هي هم انه انها انا نحن انت كم كما لما ذا ذلك هذا هذه تلك اي او ام اذ اذا
قد لن لم ثم بل كل بعض غير حتي عن علي الي في مع بين عند منذ مثل لدي لكن لان كان كانت يكون ليس اين متي كيف
هل نعم الذي التي الذين اللذين هنا هناك عليه عليها فيه فيها منه منها اليه بها به نا ها هما
لديه لديها لديهم لدينا لديكم لديهما عليهم اليها اليهم
""".split())
# first names that normalize to a function word (علي = على): split_proclitics never leaves one as a stem
NAMES_LIKE_FUNCTION_WORDS = frozenset({"علي"})
# A stem must be at least this common before a bare و/ف/ب/ل/ك is cut off (see split_proclitics).
MIN_STEM_COUNT = 20
# A word that looks like a proclitic + ال + stem stays whole only if it is at least this common (and more than
# twice its stem): counts of rarer words are noise (والضالع 3, الضالع under the lexicon's floor).
MIN_WHOLE_COUNT = 10


@dataclass(frozen=True, slots=True)
class Split:
    prefix: str  # separable proclitics cut off the front (may be "")
    stem: str  # what remains in the text (starts with ال when the article is there)
    canonical: str  # citation form: stem, with the article restored after a fused لل

    @property
    def prefix_len(self) -> int:
        return len(self.prefix)


def candidate_splits(word: str, min_stem: int = 2, as_trained: bool = False) -> list[Split]:
    """Every reading of ``word`` as proclitics + stem, longest prefix first (the whole word last).

    ``as_trained``: the readings the shipped NER model's features were built from (ك also read as fused with the
    article, no ل + ال + لX reading), so that the model sees at run time what it saw in training."""
    if not word.startswith(_PROCLITICS):  # most words: no reading but the whole word
        return [Split("", word, word)]
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
            fused = (prep == "ل" or (as_trained and prep == "ك")) and stem.startswith("ل") \
                and not stem.startswith(ARTICLE) and len(stem) > 3
            if fused:
                # ل + ال + X is written لل + X: the article's alef is gone (after ك it stays: كالوليد, so
                # كلينتون has no such reading).
                out.append(Split(prefix, stem, ARTICLE + stem[1:]))
            out.append(Split(prefix, stem, stem))
            if fused and not as_trained:  # ... and ل + ال + لX drops one ل too: للجنة is ل + اللجنة
                out.append(Split(prefix, stem, ARTICLE + stem))
    out.sort(key=lambda s: -len(s.prefix))
    out.append(Split("", word, word))
    return out


def split_proclitics(word: str, frequencies: Mapping[str, int] | None = None,
                     bare_prefixes: str = "وفبلك", candidates: list[Split] | None = None) -> Split:
    """Best reading of a normalized word as proclitics + stem.

    A prefix is cut when what remains starts with the article (والقاهرة,
    بالمنظمة), or before a fused لل (للوليد: cut ل, canonical الوليد); with ``frequencies``, only when
    the word is not clearly commoner than that reading (كاليفورنيا stays whole), and for لل the commonest
    (لليبيا is ل + ليبيا, للجنة is ل + اللجنة: see _lam_reading). Otherwise the word is
    cut only when ``frequencies`` (word counts from a large corpus) show the stem
    is much more common than the whole word: ولندن -> لندن and لمنظمة -> منظمة,
    while وليد, لبنان and بغداد stay whole. Without counts such words stay whole.
    ``bare_prefixes`` limits which letters such a cut may remove: person names
    start with ف/ب/ل/ك far more often than those particles precede a name
    (فيصل is not ف + يصل), so the finisher allows only و there.
    ``candidates``: ``candidate_splits(word)``, when the caller has computed it.
    """
    if len(word) < 3:
        return Split("", word, word)
    word_count = frequencies.get(word, 0) if frequencies is not None else 0
    for split in candidates if candidates is not None else candidate_splits(word):
        if not split.prefix:
            break
        stem = split.stem
        if stem.startswith(ARTICLE) and len(stem) >= 4:
            # a name may start with what looks like a proclitic + ال: كاليفورنيا, بالتيمور, والتر; where counts are
            # known, a word clearly commoner than its stem stays whole, and so does one whose "stem" is a function
            # word (كاليه "Calais" is no ك + إليه; without counts, for the model's features, والذي is و + الذي)
            if frequencies is None or (word_count < max(2 * frequencies.get(stem, 0), MIN_WHOLE_COUNT)
                                       and stem not in FUNCTION_WORDS):
                return split
            continue
        if split.canonical != stem:  # fused لل + stem: word-initial لل is ل + ال
            if len(stem) >= 4:
                return split if frequencies is None else _lam_reading(split, frequencies)
            continue
        if frequencies is None or any(c not in bare_prefixes for c in split.prefix):
            continue
        if len(stem) >= 3 and stem not in FUNCTION_WORDS and frequencies.get(stem, 0) > max(2 * word_count, MIN_STEM_COUNT):
            return split
    return Split("", word, word)


def _lam_reading(split: Split, frequencies: Mapping[str, int]) -> Split:
    """The reading of a word-initial لل (``split`` is its ل + ال + X reading) that the corpus counts favour:
    ل + ال + X (للوليد → الوليد), ل + ال + لX (للجنة → اللجنة) or ل + لX, no article (لليبيا → ليبيا).
    The last is the text's ل cut off, so it needs the article readings to be rare beside it, and لX to be no
    ل + X itself: words that take no article (names of countries and cities) have no article form at all."""
    stem = split.stem
    after_article = frequencies.get(split.canonical, 0)
    lam_word_with_article = frequencies.get(ARTICLE + stem, 0)
    stem_count = frequencies.get(stem, 0)
    # لX must be a word of its own, not ل + X (للمدة is ل + المدة: لمدة is ل + مدة, and مدة is common)
    if stem_count > 5 * max(after_article, lam_word_with_article) and 5 * frequencies.get(stem[1:], 0) < stem_count:
        return Split(split.prefix, stem, stem)
    if lam_word_with_article > after_article:
        return Split(split.prefix, stem, ARTICLE + stem)
    return split
