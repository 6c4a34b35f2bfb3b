"""Organization phrase rule: an organization head noun and the name that follows it.

News names most organizations by a head noun and a genitive/adjective chain: «بلدية طولكرم», «وزارة الزراعة
الأمريكية», «الاتحاد السعودي لكرة القدم», «اللجنة الوطنية لشؤون المرأة والأسرة», «هيئة سوق رأس المال», or by a
head and a quoted name: شركة «نايكي», منظمة "أطباء بلا حدود". The statistical model learned ANERcorp's
convention, which leaves most of these untagged (وزارة الخارجية is O there), and at best tags a place inside
them (جريدة [فلسطين]). A reader of the tables expects the whole organization, so this stage proposes it:

- head: an organization noun (ORG_HEAD_NOUNS), possibly after proclitics (لبلدية, بالوزارة, للجنة = ل+اللجنة);
- name: a quoted run right after an indefinite head, or a chain that follows noun-phrase grammar (see
  ``OrgPhraseRule._phrase_at``): definite words, construct nouns before them, ل-complements (للتأمين, لشؤون
  المرأة), و+definite coordinations, recognized names taken whole (بلدية [طولكرم]) and a word arwiki hardly
  knows right after the head (شركة روتنبرغ), or a patron's title and name (مستشفى الأمير محمد بن عبدالعزيز);
  it stops at function words, numbers, punctuation, time words, other titles, another head, a purpose clause
  (وزارة العمل | لإعادة النظر) and where the grammar says the noun phrase ended;
- a definite or weak head (المجلس, حركة) also needs a sign that one body is meant — a national nisba, two
  adjectives, a ل-complement or a name — so «المجلس البلدي», «الحركة الطلابية» stay untagged.

A proposed phrase becomes an ORG candidate (source ``rule``); candidates nested inside it are dropped (the
output is flat: جريدة فلسطين is one ORG, not an ORG with a LOC inside); a model ORG as long is left alone. A head
that names a place with its first word (قناة السويس) makes that pair a LOC candidate the same way.
Measured by ``python -m pipeline.evaluation.pipeline_ner --without org_phrases`` (BENCHMARKS.md).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from pathlib import Path

from ..clitics import FUNCTION_WORDS
from ..document import Document, Entity
from ..lexicon import LEXICON_FILE, load_word_frequencies
from ..normalize import normalize_text
from .gazetteer import GAZETTEER_FILE, is_place_nisba, place_names
from .model import ORDINALS, PER_TITLES, QUOTE_PAIRS, SAY_VERBS, _norm_set


# Indefinite singular forms; the article and proclitics are handled by _head_form.
ORG_HEAD_NOUNS = _norm_set("""
منظمة وزارة جامعة شركة وكالة مجلس حزب اتحاد هيئة بنك مؤسسة جمعية لجنة جبهة حركة صندوق محكمة مصرف معهد
برلمان نادي نقابة رابطة مديرية مستشفى مشفى صحيفة جريدة مجلة قناة إذاعة تلفزيون أكاديمية كلية بلدية مدرسة
ائتلاف تحالف منتدى سلطة ديوان شرطة جيش مفوضية أمانة رئاسة غرفة بورصة دائرة شبكة
كتائب سرايا ألوية نيابة مركز مكتبة مكتب
""")
# heads whose quoted name follows them (تنظيم «داعش», موقع «كوارتز»); ديوان «…» is a poetry collection there, and
# تنظيم, موقع, مكتبة are too often plain nouns to head a chain (تنظيم المؤتمر "organizing the conference")
QUOTE_HEAD_NOUNS = (ORG_HEAD_NOUNS - _norm_set("ديوان مركز")) | _norm_set("تنظيم موقع مكتبة")
# heads that name a body only when the chain says which one (a nisba, a ل-complement, a name): they are also
# common nouns (حركة "movement", شبكة "network", مدرسة "school of thought")
WEAK_HEADS = _norm_set("غرفة أمانة رئاسة جيش شرطة مدرسة مجلة قناة سلطة دائرة حركة شبكة نيابة")
# heads that are as often a place, a rank or a kind (مركز سنورس is a district, المركز الأول a ranking, المكتبة
# العربية "Arabic letters", مكتب الرئيس "the president's office"): they name a body only with a name or a
# ل-complement, or a country's nisba (مركز عيسى الثقافي, المركز الوطني للدراسات, مكتبة الإسكندرية, مركز دبي المالي
# العالمي, المكتب الوطني للسكك الحديدية, مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية); a place right after
# them with nothing more is the district itself; a person after a construct noun heads it («رئيس مركز مسلية
# [إبراهيم الشعبي]»), and a quoted name after مركز is a place («مركز "سلوى" الحدودي»)
STRICT_HEADS = _norm_set("مركز مكتبة مكتب")
# a place right after them, with nothing more, is a district of Egypt or Saudi Arabia (مركز سنورس, مركز سلوى) or
# a branch office (مكتب الرياض, مكتب المدينة المنورة), not a named body
DISTRICT_HEADS = _norm_set("مركز مكتب مديرية دائرة")
# a rare word right after them is a district's name (Yemen's مديرية حيس, Algeria's دائرة أرزيو), not a body's: they
# name a body by its remit (مديرية الأمن العام, مديرية أمن القاهرة, دائرة الأرصاد الجوية)
DISTRICT_NAME_HEADS = _norm_set("مديرية دائرة")
# a body right after them, with nothing more, is the body whose office it is (مكتب الأمم المتحدة): that body is
# the organization, not a new one
BRANCH_HEADS = _norm_set("مكتب")
# heads that may name an office rather than a body, and the words before them that say so
OFFICE_HEADS = _norm_set("رئاسة")
OFFICE_CONTEXT = _norm_set("""انتخابات الانتخابات لانتخابات وانتخابات مرشح مرشحي المرشح منصب لمنصب سباق كرسي تولي لتولي
يتولى تتولى توليه الوصول وصوله بالوصول الشغور الفراغ موقع استمراره""")
# words that end a name chain even though they look like its continuation
# (relative pronouns and particles are FUNCTION_WORDS already)
STOP_WORDS = _norm_set("""
اللتين اللواتي الان اليوم امس غدا الماضي الحالي الجاري المقبل القادم الاخير الاخيرة
السابق السابقة الاسبق الحالية الجديد الجديدة نفسه نفسها ذاته ذاتها كله كلها جميعا ايضا
خلال حول ضد عبر بعد قبل امام ضمن حسب يوم سنة عام وسط داخل خارج نحو لصالح بشأن تجاه
شمال جنوب شرق غرب شمالي جنوبي شرقي غربي التابع التابعة المعني المعنية المسؤول المسؤولة المكلف المكلفة
للمرة لأول لآخر ليتم لتتم ليكون لتكون ليصبح لتصبح الأسبوع الشهر
لأن لأنه لأنها لأنهم لكي لكافة لغرض لنظيره لنظيرته لنظيرتها
""")
# nouns of a ministry's or an authority's portfolio that join a definite one before a shared genitive: «وزارة
# الزراعة واستصلاح الأراضي», «هيئة الاتصالات وتقنية المعلومات», «وزارة التجارة وتنمية الصادرات»
PORTFOLIO_NOUNS = _norm_set("""تقنية تقنيات تنمية تخطيط تطوير استصلاح استثمار تشغيل توعية تعمير تأهيل تدريب إسكان إعمار
حماية رعاية""")
# words that coordinate a quantity, not a name's noun: «وزارة الصحة وبعض المستشفيات»
QUANTIFIERS = _norm_set("بعض كل جميع عدد مختلف سائر كافة معظم أغلب")
# news agencies' short names, as datelines bracket them: بترا (Jordan), سبأ (Yemen), ومع (Morocco), وفا (Palestine),
# واج (Algeria), وات (Tunisia), وام (UAE), واس (Saudi Arabia), قنا (Qatar), كونا (Kuwait), سانا (Syria), سونا (Sudan),
# بنا (Bahrain), أ ش أ (Egypt: three tokens, left to the model), رويترز, أ ف ب
AGENCY_CODES = _norm_set("بترا سبأ ومع وفا واج وات وام واس قنا كونا سانا سونا بنا رويترز")
# titles of the person a body is named after: مستشفى الأمير محمد بن عبدالعزيز, جامعة الملك سعود, مسجد الشيخ زايد
PATRON_TITLES = _norm_set("الملك الملكة الأمير الأميرة الشيخ الشيخة السلطان الإمام")
# heads after whose name a ل-complement is still the name (شركة تبوك لإنتاج المحاصيل)
COMPANY_HEADS = _norm_set("شركة مؤسسة مجموعة")
# words that start like ل + a verb (لينجح, ليصل) but continue a company's name
NAME_WORDS_LI = _norm_set("ليمتد ليميتد")
# ل + a verbal noun that says what the body does next, not what it is for: «دعت وزارة العمل | لإعادة النظر»,
# «تسعى هيئة المدن الاقتصادية | لتحقيق الأهداف» (names say لمكافحة, لرعاية, لحماية, لتنمية ...)
PURPOSE_WORDS = _norm_set("""لإعادة لتحقيق لتحديد لشراء لتفادي لإحراج لاتخاذ لتلقي لتقديم لإقامة لشغل لزيارة لحشد
لملاحقة لتقنين لمحاربة لمناقشة لبحث لدراسة لمتابعة لتنفيذ لاستكمال لاستقبال لمواجهة لمنع لإنهاء لضمان""")
# nisbas of no single place that still name one body: المؤتمر الإسلامي, الاتحاد الأفريقي, البنك الدولي
WIDE_NISBAS = _norm_set("العربي العربية الإسلامي الإسلامية الدولي الدولية العالمي العالمية الأفريقي الأفريقية "
                        "الإفريقي الإفريقية الآسيوي الآسيوية الخليجي الخليجية الأوروبي الأوروبية الأممي الأممية")
# definite adjectives that are not nisbas but continue a name: الأمم المتحدة, المحكمة العليا, الاتحاد العام
ADJECTIVES = _norm_set("""المتحدة العليا الأعلى الكبرى الأكبر العامة العام المستقلة الحرة الحر الموحدة المشتركة الدائمة
الخاصة المختلط المختلطة الأحمر الأخضر الأبيض الأسود الكبير المفتوحة المستقل الموحد القابضة المحدودة
المكرمة المنورة المقدسة الجوي البري""")  # المكرمة …: epithets of places inside names (شرطة منطقة مكة المكرمة);
# الجوي, البري: nisbas too short for _is_nisba (المعهد الوطني للرصد الجوي)
# head + first word pairs that name a place, not a body: the model, which knows قناة from قناة الجزيرة, tags the
# canal's name as an organization («قناة [السويس]»); the whole pair is the place
WATERWAYS = frozenset((normalize_text(h), normalize_text(w)) for h, w in (("قناة", "السويس"), ("قناة", "بنما")))
# head + first word pairs that name no organization
# head + first word pairs that are no body: جيش الاحتلال, هيئة التدريس "the teaching staff" (أعضاء هيئة التدريس)
NOT_ORGANIZATIONS = WATERWAYS | frozenset((normalize_text(h), normalize_text(w))
                                          for h, w in (("جيش", "الاحتلال"), ("هيئة", "التدريس")))
# head + word pairs that name one body with nothing more (every country has its public prosecution and its
# presidency: رئاسة الجمهورية, رئاسة الحكومة)
NAMED_PAIRS = frozenset((normalize_text(h), normalize_text(w)) for h, w in (
    ("نيابة", "العامة"), ("رئاسة", "الجمهورية"), ("رئاسة", "الحكومة"), ("رئاسة", "الوزراء")))
# first chain words that make a generic body, not a named one (مجلس الإدارة = the board of directors)
GENERIC_FIRST = _norm_set("الإدارة الأمناء العمومية المذكور المذكورة المعني المعنية المختص المختصة")
MAX_CHAIN = 7
MAX_QUOTED = 5  # words of a quoted name after a head
CLITIC_ARTICLE = ("بال", "وال", "فال", "كال", "لل")  # a preposition or conjunction + article: a new phrase
HEAD, CONSTRUCT, NOUN, ADJ, NAME = range(5)  # chain states, see OrgPhraseRule._phrase_at
NAME_LABELS = ("ORG", "LOC", "PER")  # recognized names a chain may take whole: بلدية [طولكرم], مؤسسة [ياسر عرفات]
RARE_WORD_COUNT = 20  # arwiki count (models/lexicon) below which a word after a head is taken as a name
RULE_SCORE = 0.85  # a strong rule (>= the finisher's WEAK_RULE_SCORE): the phrase outranks what it contains


def _head_forms(nouns: frozenset[str]) -> dict[str, tuple[str, bool]]:
    """Every written form of a head: proclitics و/ف then ب/ل/ك, the article, ل fused with it (للجنة = ل + اللجنة)."""
    forms: dict[str, tuple[str, bool]] = {}
    for noun in nouns:
        for conj in ("", "و", "ف"):
            for prep in ("", "ب", "ل", "ك"):
                forms.setdefault(conj + prep + noun, (noun, False))
                forms.setdefault(conj + prep + "ال" + noun, (noun, True))
            forms.setdefault(conj + "لل" + noun, (noun, True))
    return forms


HEAD_FORMS = _head_forms(ORG_HEAD_NOUNS)
QUOTE_HEAD_FORMS = _head_forms(QUOTE_HEAD_NOUNS)


def _head_form(word: str) -> tuple[str, bool] | None:
    """(head noun, definite?) when ``word`` is an organization head with optional proclitics."""
    return HEAD_FORMS.get(word)


# definite nouns shaped like a nisba (-ية): after a name they are the verb's object, not an adjective
# («تبنت كتائب شهداء الأقصى | العملية», «أحالت النيابة العامة | القضية»); a noun takes its coordinated noun
# (وزارة التربية والتعليم). التنمية stays an adjective's peer: «مجلس الشؤون الاقتصادية والتنمية»
NISBA_SHAPED_NOUNS = _norm_set("""العملية القضية الهوية الاتفاقية الميزانية الضحية التسوية المسؤولية الأغلبية
الأقلية الجنسية الوصية الحماية الرعاية الأولوية الرؤية النية الهدية التغطية التربية""")


def _is_nisba(word: str) -> bool:
    """A definite relational adjective: الفلسطيني, الإسرائيلية, التشريعي (not an ordinal)."""
    return (word.startswith("ال") and len(word) >= 6 and word not in ORDINALS
            and (word.endswith("ي") or word.endswith("يه")) and word not in NISBA_SHAPED_NOUNS)


def _is_adjective(word: str) -> bool:
    return _is_nisba(word) or word in ADJECTIVES


def _coordinated_construct(word: str, after_construct: bool) -> bool:
    """و + an indefinite noun that shares the next genitive: any noun after construct nouns (كهرباء ومياه, تجارة
    وصناعة), a ministry's portfolio noun after a definite one (الزراعة واستصلاح, الاتصالات وتقنية); «مجلس الأمن
    | وقرارات …», «وزارة الداخلية | وتحديد الموعد» are another phrase."""
    if not (word.startswith("و") and len(word) >= 4 and word.isalpha()) or word.startswith("وال") or word in PER_TITLES:
        return False
    core = word[1:]
    if after_construct:
        return core not in STOP_WORDS and core not in FUNCTION_WORDS and core not in QUANTIFIERS
    return core in PORTFOLIO_NOUNS


def _office_context(doc: Document, i: int) -> bool:
    """The word before token i, or before the preposition before it, speaks of an office: «انتخابات الرئاسة»,
    «الوصول إلى رئاسة الجمهورية», «الشغور في رئاسة الجمهورية»."""
    k = i - 1
    if k > 0 and doc.tokens[k].norm in ("الي", "في"):
        k -= 1
    word = doc.tokens[k].norm if k >= 0 else ""
    return word in OFFICE_CONTEXT or (word.startswith("و") and word[1:] in OFFICE_CONTEXT)


def _before_ala(doc: Document, j: int, stop: int) -> bool:
    """A ل-word followed by على is a purpose clause (للحصول على, للقضاء على), not a name's complement."""
    return j + 1 < stop and doc.tokens[j + 1].norm == "علي"  # normalized: على is علي


def _definite(word: str) -> bool:
    return word.startswith("ال") and len(word) >= 4


class OrgPhraseRule:
    """Stage: proposes ORG candidates for organization head nouns and their name chains."""

    name = "org_phrases"

    def __init__(self, gazetteer: str | Path | None = None):
        """``gazetteer``: the entries file whose LOC names tell national nisbas (العراقي <- العراق)."""
        self.places = place_names(gazetteer or GAZETTEER_FILE)
        self.frequencies = load_word_frequencies(LEXICON_FILE)  # shared with the finisher (cached)

    def __call__(self, doc: Document) -> Document:
        if not doc.tokens:
            return doc
        starts = {}  # token index -> the longest PER/ORG/LOC candidate starting there, as an end token index
        place_starts = set()  # token indices where a LOC candidate starts
        org_starts = set()  # token indices where an ORG candidate starts
        org_words = set()  # token indices that hold a one-word ORG candidate
        person_starts = set()  # token indices where a PER candidate starts
        token_starts = [t.start for t in doc.tokens]
        for c in doc.candidates:
            if c.label in NAME_LABELS:
                # the token holding the candidate's first character (a model span may start after و/ب/ل)
                i = bisect_right(token_starts, c.start) - 1
                j = bisect_left(token_starts, c.end)
                if i >= 0 and j > i:
                    starts[i] = max(starts.get(i, 0), j)
                    if c.label == "LOC":
                        place_starts.add(i)
                    if c.label == "PER":
                        person_starts.add(i)
                    if c.label == "ORG":
                        org_starts.add(i)
                        if j == i + 1:
                            org_words.add(i)
        added = []
        for sent in doc.sentences:
            i = sent.first_token
            while i < sent.last_token:
                if self._waterway_at(doc, i, sent.last_token):
                    added.append((i, i + 2, "LOC"))
                    i += 2
                    continue
                span = self._phrase_at(doc, i, sent.last_token, starts, place_starts, org_starts, org_words,
                                       person_starts)
                if span is None:
                    i += 1
                    continue
                added.append((*span, "ORG"))
                i = span[1]
        added += self._dateline_agencies(doc)
        for a, b, label in added:
            self._add(doc, a, b, label)
        return doc

    @staticmethod
    def _waterway_at(doc: Document, i: int, stop: int) -> bool:
        head = _head_form(doc.tokens[i].norm)
        return head is not None and i + 1 < stop and (head[0], doc.tokens[i + 1].norm) in WATERWAYS

    def _phrase_at(self, doc: Document, i: int, stop: int, starts: dict[int, int],
                   place_starts: set[int] = frozenset(), org_starts: set[int] = frozenset(),
                   org_words: set[int] = frozenset(), person_starts: set[int] = frozenset()) -> tuple[int, int] | None:
        """The phrase [i, end) when token i is a head noun with a name chain, else None.

        A small state machine over the chain, after Arabic noun-phrase grammar:
        - HEAD (right after the head): a definite word, an indefinite construct noun, a recognized name, or (after
          an indefinite head) a word arwiki hardly knows;
        - CONSTRUCT (after indefinite nouns: هيئة سوق رأس …): a definite word or a name must come;
        - NOUN (after a definite noun): a definite noun takes no genitive, so only adjectives, و+definite
          coordinations (الثقافة والفنون) and ل-complements (لكرة القدم, للتنمية) — «مجلس الوزراء | الموافقة»;
        - ADJ (after an adjective, لل-word adjectives included): the same;
        - NAME (after a recognized name): adjectives only — «حزب الله اللبناني», not «حزب الله | لجهة …».
        """
        quote_head = QUOTE_HEAD_FORMS.get(doc.tokens[i].norm)
        if quote_head is not None and not quote_head[1] and i + 1 < stop:
            quoted = self._quoted_name(doc, i + 1, stop)
            if quoted is not None:
                return quoted
        head = _head_form(doc.tokens[i].norm)
        if head is None:
            return None
        noun, definite = head
        if i + 1 < stop and (noun, doc.tokens[i + 1].norm) in NOT_ORGANIZATIONS:
            return None
        strict = noun in STRICT_HEADS
        if strict and i + 1 < stop and doc.tokens[i + 1].norm in ORDINALS:
            return None  # «المركز الأول»: a ranking
        state, j, end, pending, lam = HEAD, i + 1, None, 0, False
        name_is_org = False  # the NAME taken whole is a known body (الأمم المتحدة), not a place or a person
        head_adjectives = True  # the chain so far is the head and its own adjectives (they agree with it)
        nisbas = 0  # adjectives in the chain
        specific = national = national_place = False  # national_place: a country's or city's nisba, not الدولي
        district = False  # a place right after a district head (مديرية [حيس])
        while j < stop and j - i <= MAX_CHAIN:
            if "\n" in doc.text[doc.tokens[j - 1].end:doc.tokens[j].start]:
                break
            w = doc.tokens[j].norm
            as_adjective = state in (NOUN, ADJ) and _is_nisba(w)  # البلدية, السعودية after a noun: adjectives
            # a one-word organization at a لل-complement is the chain's tail the model split off
            # («الوكالة العربية السورية | للأنباء»); a place or a person there is not (للعراق, شبكة الدعم للأسد)
            split_tail = state in (NOUN, ADJ) and not lam and w.startswith("لل") and j in org_words
            # a name that starts with an adjective agreeing with a definite head is the head's chain: «البنك
            # [الأهلي المصري]» (a club's name inside the bank's), «الحزب [الديمقراطي الكردستاني]»
            head_adjective = state == HEAD and definite and _is_nisba(w)
            if state in (NOUN, ADJ) and not lam and w.startswith("لل") and j in place_starts and starts[j] - j >= 2 \
                    and not (national or specific):
                # a region of several words as the body's ل-complement: «الغرفة التجارية الصناعية [للمنطقة
                # الشرقية]»; one word there is the next phrase («… للعراق»), and so is a place after a body a
                # nisba or a complement already names («البرلمان الأوروبي | للمملكة العربية السعودية»)
                j = starts[j]
                state, end, specific, pending, head_adjectives = NAME, j, True, 0, False
                continue
            if j in starts and not split_tail and not head_adjective and not (as_adjective and starts[j] == j + 1):  # a recognized name: taken whole, right after the head or construct nouns only
                if state not in (HEAD, CONSTRUCT) or lam or (state == HEAD and definite) or w.startswith(CLITIC_ARTICLE):
                    break  # «… التابعة [لمنظمة …]», «جامعة عين شمس [بالقاهرة]»: the next phrase; «الجمعية [عمر]»
                if strict and state == CONSTRUCT:
                    break
                owner_first = j == i + 1 and ((noun in DISTRICT_HEADS and j in place_starts)
                                              or (noun in BRANCH_HEADS and j in org_starts))
                name_is_org = j in org_starts
                head_adjectives = False
                j = starts[j]
                state, end, specific, pending = NAME, j, not owner_first, 0
                if owner_first and noun in DISTRICT_NAME_HEADS:
                    district = True
                continue
            if (state == HEAD and not definite and noun not in OFFICE_HEADS and w in PATRON_TITLES
                    and j + 1 in person_starts):
                # a body named after a person with his title: مستشفى الأمير محمد بن عبدالعزيز, جامعة الملك سعود
                j = starts[j + 1]
                state, end, specific, pending, head_adjectives = NAME, j, True, 0, False
                continue
            # the word without و, or with ل fused into the article undone: a title there ends the name (للإمام)
            core = w[1:] if w.startswith("و") and len(w) > 3 else "ال" + w[2:] if w.startswith("لل") else w
            if (not w.isalpha() or w in FUNCTION_WORDS or w in STOP_WORDS or w in SAY_VERBS or core in PER_TITLES
                    or (_head_form(w) is not None and not as_adjective) or (state == HEAD and w in GENERIC_FIRST)):
                break
            coordinated = w.startswith("وال") and state in (NOUN, ADJ)
            word = w[1:] if coordinated else w
            if _definite(word) and (state != NAME or lam or _is_adjective(word)) and not (w.startswith("و") and not coordinated):
                is_adj = _is_adjective(word)
                if state in (NOUN, ADJ) and not (is_adj or coordinated or lam):
                    break  # a definite noun takes no genitive: the chain ended before this word
                if state == HEAD and definite and not (is_adj or word.endswith(("ي", "يه"))):
                    break  # nor does a definite head: «المركز | المساندة»; الصحي, الفني are short nisbas
                if (state == HEAD or (state == ADJ and head_adjectives)) and is_adj and _is_nisba(word) \
                        and word not in ADJECTIVES and noun.endswith("ه") != word.endswith("ه"):
                    break  # no gender agreement with the head: «ممثل الحركة | الصيني» (a Chinese action actor),
                    # «لتذاكر فريق النادي الأهلي | الموسمية» (the tickets' adjective); الكبرى ends like a nisba
                if coordinated and state == ADJ and not is_adj:
                    break  # «المؤسسة العسكرية | والجهاز الأمني»: a second body, not a coordinated name part
                head_adjectives = head_adjectives and is_adj and not lam and not coordinated
                state, end, pending = (ADJ if is_adj else NOUN), j + 1, 0
                nisbas += is_adj
                if _is_nisba(word):  # العراقي (العراق), السعودي (السعودية); الدولي, الإسلامي only for national
                    place = is_place_nisba(word, self.places)
                    national_place = national_place or place
                    national = national or place or word in WIDE_NISBAS
                specific = specific or lam  # لشؤون المرأة, لكرة القدم: a ل-complement
                lam = False
            elif state == HEAD and not definite and len(w) >= 3 and w[0] not in "وبل" and not w.endswith(("ي", "يه")) \
                    and self.frequencies.get(w, 0) < RARE_WORD_COUNT:
                # a word the encyclopedia hardly knows right after the head is its name: بلدية عقربا, شركة روتنبرغ;
                # after a strict head it may be a district or a kind (مركز عرجاء, مكتب طوارئ) unless a ل-complement
                # follows (مركز أسبار للدراسات)
                if noun in DISTRICT_NAME_HEADS:
                    return None  # «مديرية حيس»: a district (place_heads tags حيس)
                state, end, specific = NAME, j + 1, not strict
            elif (state in (NOUN, ADJ) or (state == NAME and not definite)) and not lam and w.startswith("لل") \
                    and len(w) >= 4 and not _before_ala(doc, j, stop):
                # للتأمين: a ل-complement after the chain's first words opens a genitive chain of its own; it is a
                # noun (للتربية والعلم), even when it looks like a nisba (تربية, تنمية end like عربية)
                state, end, specific = NOUN, j + 1, True
            elif ((state in (NOUN, ADJ) or (state == NAME and not definite and (name_is_org or noun in COMPANY_HEADS)))
                  and not lam and w.startswith("ل") and len(w) >= 4 and w not in PURPOSE_WORDS
                  and not (w.startswith("لي") and w not in NAME_WORDS_LI)
                  and not _before_ala(doc, j, stop) and not (len(w) >= 6 and w.endswith(("ها", "هم", "ته")))):
                # لشؤون (المرأة), لكرة (القدم), مفوضية الأمم المتحدة لشؤون (اللاجئين): needs its definite noun. A
                # purpose clause is not one: a pronoun on it (لفحصها, لدعمهم, لحمايته), a verb (لينجح), a verbal
                # noun of what comes next (PURPOSE_WORDS), or after a name that is a place or a rare word
                # («بنك المغرب | لأحكام الشريعة», «جامعة تافتس | لتركيب ...»); after a known body it is its remit,
                # and a company names itself that way (شركة مصر لإنتاج الأسمدة, مؤسسة حسن شربتلي لخدمة المجتمع)
                lam = True
            elif state in (HEAD, CONSTRUCT) and not definite and pending < 2 and len(w) >= 3 and w[0] not in "وبل":
                state, pending = CONSTRUCT, pending + 1  # an indefinite construct noun: سوق رأس المال
            elif (state in (CONSTRUCT, NOUN) and _coordinated_construct(w, state == CONSTRUCT) and pending < 2 and j + 1 < stop
                  and (_definite(doc.tokens[j + 1].norm) or (state == CONSTRUCT and j + 1 in starts))):
                # و + a construct noun before the genitive they share: «هيئة كهرباء ومياه دبي», «غرفة تجارة وصناعة
                # الكويت», «وزارة الزراعة واستصلاح الأراضي», «وزارة التجارة وتنمية الصادرات»
                state, pending = CONSTRUCT, pending + 1
            else:
                break
            if state != ADJ or lam:
                head_adjectives = False  # a noun, a name or a complement came between the head and what follows
            j += 1
        if end is None:
            return None
        if noun in OFFICE_HEADS and (_office_context(doc, i) or doc.tokens[i].norm.startswith(("بر", "وبر", "لر", "ولر"))):
            # «انتخابات الرئاسة الأمريكية», «برئاسة يوسف …» ("chaired by"), «الوصول إلى رئاسة الجمهورية», «مرشحيهم
            # لرئاسة الجمهورية»: the office, not a body
            return None
        if (strict or district) and not (specific or national_place):
            return None  # «مركز سنورس», «مديرية حيس» (districts), «المكتبة العربية», «مركز الشرطة»
        named = (noun, doc.tokens[i + 1].norm) in NAMED_PAIRS  # «النيابة العامة»
        if (definite or noun in WEAK_HEADS) and not (specific or national or nisbas >= 2 or named):
            return None  # «المجلس البلدي», «الحركة الطلابية»: a kind of body, not a named one
        return i, end

    @staticmethod
    def _dateline_agencies(doc: Document) -> list[tuple[int, int, str]]:
        """A news agency's short name in brackets, as datelines write it: «عمان (بترا)», «الرباط (ومع)», «صنعاء
        (سبأ)». Alone these are a city, a word or a kingdom (بترا Petra, ومع "and with", سبأ Sheba)."""
        out = []
        for k in range(1, len(doc.tokens) - 1):
            if doc.tokens[k].norm in AGENCY_CODES and doc.token_text(doc.tokens[k - 1]) == "(" \
                    and doc.token_text(doc.tokens[k + 1]) == ")":
                out.append((k, k + 1, "ORG"))
        return out

    @staticmethod
    def _quoted_name(doc: Document, j: int, stop: int) -> tuple[int, int] | None:
        """The quoted run right after an indefinite head is its name: شركة «نايكي», منظمة "أطباء بلا حدود"."""
        close = QUOTE_PAIRS.get(doc.token_text(doc.tokens[j]))
        if close is None:
            return None
        for k in range(j + 1, min(stop, j + 2 + MAX_QUOTED)):
            text = doc.token_text(doc.tokens[k])
            if text == close:
                return (j + 1, k) if k > j + 1 else None
            if not any(ch.isalnum() for ch in text) or "\n" in doc.text[doc.tokens[k - 1].end:doc.tokens[k].start]:
                return None  # punctuation inside: a quoted sentence, not a name
        return None

    @staticmethod
    def _add(doc: Document, a: int, b: int, label: str = "ORG") -> None:
        start, end = doc.tokens[a].start, doc.tokens[b - 1].end
        for c in doc.candidates:
            if c.label == label and start <= c.start < doc.tokens[a].end and c.end >= end:
                return  # the model already has it (or more), perhaps without the proclitic
        kept = [c for c in doc.candidates
                if c.label == "DATE" or not (start <= c.start and c.end <= end)]
        doc.candidates[:] = kept
        doc.candidates.append(Entity(start, end, label, RULE_SCORE, "rule", attrs={"rule": "org_phrases"}))
