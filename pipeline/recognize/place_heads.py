"""Place head rule: a settlement noun and the rare name right after it.

News names villages, camps, districts and governorates by a head noun in construct with the name: «قرية
العابطية», «مخيم الزعتري», «محافظة الخرمة», «ولاية راخين», «حي الخزامى». The model knows the names ANERcorp and
the gazetteer hold, and misses most of the rest: on 3,016 held-out SaudiNewsNet articles, 86 of 110 «قرية X» and
44 of 47 «مخيم X» were left untagged. Such names are rare words, while what else follows these heads is common
Arabic (محافظة على "keeping to", مخيم صيفي "summer camp", ولاية ثانية "a second term"), so a word the arwiki
counts hardly know after an indefinite head becomes a LOC candidate, with a second rare word when one follows
(بلدة الحوش البقاعية). The head stays outside the span, as the model tags «قرية [الدوايمة]». After محافظة and ولاية
a definite nisba is a province's name however common (محافظة الشرقية).

Candidates already there win: the word must not be inside any PER/ORG/LOC candidate (بلدية محافظة العارضة is an
ORG of org_phrases), and the rule's score is weak, so a model span overlapping it is kept in the finisher.
"""
from __future__ import annotations

from bisect import bisect_right

from ..clitics import FUNCTION_WORDS, split_proclitics
from ..document import Document, Entity
from ..lexicon import LEXICON_FILE, load_word_frequencies
from .model import _norm_set

# indefinite singular heads; a definite head (المحافظة) is followed by adjectives, not names
# (مديرية: a district in Yemen; معسكر: a displaced people's camp in Sudan, معسكر زمزم; معتمدية: Tunisia's
# delegations; جماعة: Morocco's communes; دائرة: Algeria's daïras. Sudan's محلية is left out: it is far more often
# the adjective "local", صكوك محلية مقومة)
SETTLEMENT_HEADS = _norm_set("""قرية بلدة مخيم محافظة ولاية ناحية قضاء مدينة حي مقاطعة إقليم مديرية معسكر معتمدية جماعة
دائرة""")
# administrative heads whose definite nisba after them is a province's name however common the word (محافظة الشرقية,
# محافظة الداخلية in Oman, ولاية الشمالية in Sudan): «المحافظة الشرقية» would be "the eastern governorate"
ADMIN_HEADS = _norm_set("محافظة ولاية")
# heads that also name bodies (دائرة الأرصاد الجوية, جماعة الإخوان): only an indefinite name follows them here
# (دائرة أرزيو, جماعة أولاد تايمة)
BODY_LIKE_HEADS = _norm_set("دائرة جماعة")
# قضاء is also "spending (time)" (لقضاء الإجازة, وقضاء حوائجهم): as a district head it takes no ل and no و
HEAD_FORMS = frozenset(conj + prep + head for head in SETTLEMENT_HEADS
                       for conj in ("", "و", "ف") for prep in ("", "ب", "ل")) - _norm_set("لقضاء وقضاء ولقضاء فقضاء")
# imperfect verbs (تتوافر, ستستضيف, يتم) are no names
VERB_PREFIXES = ("تت", "يت", "ست", "سي", "سن")
# a possessive pronoun as written ends a common noun, not a name (ناحية احتوائه, لقضاء عطلاتهم)
PRONOUN_ENDINGS = ("ه", "هم", "هما", "هن", "كم")
# a name's first word is rarer than this in arwiki (8.3M words; الزلفي 4 passes, الطائف 97 and دوما 224 are the
# limit's price: common-looking names stay the model's and the gazetteer's); a second word rarer still
RARE_FIRST = 60
RARE_SECOND = 20
PRONOUN_STEM_COUNT = 50  # نجد 761, خطورة 151 (stems under 3 letters are not tried: أبها, بنها)
MASCULINE_COUNT = 5  # the masculine of an adjective is a word arwiki knows (جاذب 6, تراثي 10)
NAME_LABELS = frozenset({"PER", "ORG", "LOC"})
RULE_SCORE = 0.6  # weak (< the finisher's WEAK_RULE_SCORE): a model span that overlaps it wins


def _definite_nisba(word: str) -> bool:
    return word.startswith("ال") and len(word) >= 6 and word.endswith("يه") and word.isalpha()


class PlaceHeadRule:
    """Stage: proposes the rare name after a settlement head (قرية، مخيم، محافظة …) as a LOC candidate."""

    name = "place_heads"

    def __init__(self) -> None:
        self.frequencies = load_word_frequencies(LEXICON_FILE)  # shared with the finisher (cached)

    def __call__(self, doc: Document) -> Document:
        if not doc.tokens:
            return doc
        token_starts = [t.start for t in doc.tokens]
        covered = bytearray(len(doc.tokens))  # tokens inside a name candidate
        for c in doc.candidates:
            if c.label in NAME_LABELS:
                i = max(0, bisect_right(token_starts, c.start) - 1)
                j = bisect_right(token_starts, c.end - 1)
                covered[i:j] = b"\x01" * (j - i)
        for sent in doc.sentences:
            for i in range(sent.first_token, sent.last_token - 1):
                head = doc.tokens[i].norm
                if head not in HEAD_FORMS or covered[i + 1]:
                    continue
                if head.endswith(tuple(BODY_LIKE_HEADS)) and doc.tokens[i + 1].norm.startswith("ال"):
                    continue
                if head.endswith(tuple(ADMIN_HEADS)) and _definite_nisba(doc.tokens[i + 1].norm):
                    end = i + 2  # «محافظة الشرقية»: an indefinite head takes no definite adjective, so a name
                else:
                    end = self._name_end(doc, i + 1, sent.last_token, covered)
                if end is not None:
                    doc.candidates.append(Entity(doc.tokens[i + 1].start, doc.tokens[end - 1].end, "LOC", RULE_SCORE,
                                                 "rule", attrs={"rule": self.name}))
        return doc

    def _name_end(self, doc: Document, k: int, last: int, covered: bytearray) -> int | None:
        """End token (exclusive) of the name starting at token ``k``, or None when that word is no name."""
        if not self._name_word(doc.tokens[k].norm, RARE_FIRST, doc.token_text(doc.tokens[k])):
            return None
        end = k + 1
        if end < last and covered[end] and self._same_gap(doc, k) and \
                not split_proclitics(doc.tokens[end].norm, self.frequencies, "وفبل").prefix:
            # the name goes on into a recognized one (ولاية ويست [فيرجينيا]): its first word is no name alone; after
            # a proclitic the next name is another place (حي المباركية [بالدمام])
            return None
        second = doc.tokens[end].norm if end < last else ""
        if second and self._same_gap(doc, k) and not second.startswith("و") and \
                self._name_word(second, RARE_SECOND, doc.token_text(doc.tokens[end])):
            end += 1
        return end

    def _name_word(self, word: str, rare: int, written: str = "") -> bool:
        if len(word) < 3 or not word.isalpha() or word in FUNCTION_WORDS:
            return False
        counts = self.frequencies
        if counts.get(word, 0) >= rare or word.startswith(VERB_PREFIXES) or written.endswith(PRONOUN_ENDINGS):
            return False
        if self._has_pronoun(word):
            return False
        # a conjunction or preposition on a common word ends the name (قرية العابطية | بمحافظة …, ورفضهم)
        if split_proclitics(word, counts, "وفبل").prefix and not word.startswith("ال"):
            return False
        # an indefinite feminine adjective agrees with the head: قرية تراثية, مدينة ذكية, ولاية خامسة (تراثي, ذكي,
        # خامس are words; رنية, تنومة, شقرة have no such masculine)
        if word.endswith("ه") and not word.startswith("ال") and counts.get(word[:-1], 0) >= MASCULINE_COUNT:
            return False
        # ... and a masculine one whose feminine arwiki has at all: معسكر تدريبي, مخيم كشفي (كشفية: 4 uses)
        if word.endswith("ي") and not word.startswith("ال") and word + "ه" in counts:
            return False
        return not word.endswith(("وا", "ون", "ين"))  # verbs and plurals (أنكروا, المقيمون)

    def _has_pronoun(self, word: str) -> bool:
        """A known word + ها/نا/ك (نجدها, خطورتها = خطورة + ها), not a name ending so (أبها, بنها)."""
        for ending in ("ها", "نا", "ك"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[:-len(ending)]
                stem = stem[:-1] + "ه" if stem.endswith("ت") else stem
                if self.frequencies.get(stem, 0) >= PRONOUN_STEM_COUNT:
                    return True
        return False

    @staticmethod
    def _same_gap(doc: Document, k: int) -> bool:
        """The next word follows token ``k`` after plain space (no punctuation, no line break)."""
        gap = doc.text[doc.tokens[k].end:doc.tokens[k + 1].start]
        return gap.isspace() and "\n" not in gap
