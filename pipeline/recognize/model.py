"""Statistical entity recognizer stage (run time).

A model directory (``models/ner`` by default, see ``pipeline.paths``) holds
``meta.json`` (``format_version``, ``backend``, labels, training data, scores)
and the backend's files. Backends:

* ``crf``   — python-crfsuite linear-chain CRF over hand-written features
  (word, proclitic-aware stem, affixes, word clusters, gazetteers, trigger
  words); confidence = mean marginal probability of the entity's tags.
* ``bilstm`` — char-CNN + BiLSTM + CRF trained in torch, run here in numpy
  (no torch import at run time); confidence = mean marginal from
  forward-backward.

Nothing here imports torch or spaCy, so loading stays well under 2 s.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import weakref
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.clitics import FUNCTION_WORDS, NAMES_LIKE_FUNCTION_WORDS, candidate_splits, split_proclitics
from pipeline.document import Document, Entity
from pipeline.normalize import normalize_text
from pipeline.recognize.date_lexicon import NUMBER_WORDS
from pipeline.recognize.gazetteer import is_place_nisba, place_names
from pipeline.stage import BatchStage
from pipeline.tokenize import LETTER_NAMES

FORMAT_VERSION = 1
LABELS = ("PER", "ORG", "LOC", "MISC")
TRAIN_HINT = "run `make train` (python -m pipeline.train.ner --out models/ner) or set ARABIC_NER_MODEL"

SpanPred = tuple[int, int, str, float]  # token start, token end (exclusive), label, score


class ModelError(RuntimeError):
    """The model directory is missing, corrupt or of an incompatible version."""


# --------------------------------------------------------------------------
# Arabic trigger words (normalized at import): titles before persons, head
# words of organizations and locations, speech verbs that precede a speaker.
_PER_TITLES = """الرئيس رئيس الشيخ شيخ وزير الوزير وزيرة الوزيرة سفير السفير سفيرة السفيرة الملك ملك الأمير أمير
الأميرة السيد السيدة الدكتور الدكتورة د المهندس اللواء العقيد العميد الجنرال الفريق المشير نائب النائب
الأمين أمين المستشار المستشارة القاضي الإمام البابا الشيخة المدير المديرة مدير مديرة الرئيسة المتحدث
الناطق المبعوث المندوب الزعيم زعيم الكاتب الكاتبة الشاعر الشاعرة الفنان الفنانة اللاعب المدرب النجم
الممثل الممثلة المطرب المطربة المخرج الحاج السلطان الخليفة المبعوثة البروفيسور الأستاذ الاستاذ عضو العضو
قائد القائد المرشح المرشحة رئيسة السيناتور""".split()
_SAY_VERBS = """قال وقال قالت وقالت أعلن وأعلن أعلنت أكد وأكد أكدت صرح وصرح صرحت ذكر وذكر ذكرت أضاف وأضاف
أضافت أوضح وأوضح أشار وأشار أشارت التقى والتقى استقبل واستقبل بحث وبحث دعا ودعا""".split()
_ORG_HEADS = """وزارة منظمة جامعة شركة وكالة مجلس حزب اتحاد هيئة بنك مؤسسة جمعية لجنة جبهة حركة صندوق
محكمة مصرف معهد مركز برلمان نادي نقابة رابطة مجموعة مكتب إدارة دائرة مديرية مستشفى صحيفة جريدة قناة
إذاعة تلفزيون مجمع أكاديمية كلية الأمم جيش قوات شرطة الجيش القوات حكومة الحكومة البرلمان المجلس
الاتحاد الحزب المنظمة الوزارة الجامعة الشركة الوكالة البنك الصندوق المحكمة اللجنة الهيئة الجبهة الحركة
فريق منتخب المنتخب الفريق النادي""".split()
_LOC_HEADS = """مدينة عاصمة دولة ولاية محافظة منطقة جزيرة نهر جبل بحر قرية إقليم مقاطعة بلدة شمال جنوب شرق
غرب شمالي جنوبي شرقي غربي العاصمة مدينة المدينة ضواحي وسط قطاع بلاد جمهورية مملكة إمارة""".split()
_LOC_PREPS = "في إلى من عن على نحو داخل خارج".split()


# opening quote token -> its closing token; quoted runs up to MAX_QUOTED words get quote features
QUOTE_PAIRS = {"«": "»", '"': '"', "“": "”", "''": "''", "'": "'", "„": "“"}
MAX_QUOTED = 8


def _norm_set(words: Iterable[str] | str) -> frozenset[str]:
    """Normalized forms of words (an iterable, or one whitespace-separated string)."""
    return frozenset(normalize_text(w) for w in (words.split() if isinstance(words, str) else words))


PER_TITLES = _norm_set(_PER_TITLES)
SAY_VERBS = _norm_set(_SAY_VERBS)
ORG_HEADS = _norm_set(_ORG_HEADS)
LOC_HEADS = _norm_set(_LOC_HEADS)
LOC_PREPS = _norm_set(_LOC_PREPS)
ORDINALS = _norm_set("""الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر الأولى الثانية
الثالثة الرابعة الخامسة""")
# words that join a compound name: its last word does not stand for the person alone (ابي [طالب], عبد [الله])
NAME_LINKS = _norm_set("بن ابن بنت أبو أبي أبا عبد أم آل")
COMPOUND_ENDS = _norm_set("الدين الله")  # شمس [الدين], نصر [الله]
# particles that stay with the family name after them: ماركو [فان باستن], ليوناردو [دا فينشي], لحسن [آيت علي]
NAME_PARTICLES = _norm_set("فان فون دي دا دو دوس ديل لا لو آيت")
MAX_NAME_LINKS = 4  # joining words a person span may be extended over
# words after a joining word that are not a name: ولد [عام] 1950, صدام حسين ابن [عمه] "his cousin"
NOT_NAME_AFTER_LINK = _norm_set("عام سنة يوم بتاريخ عمه عمها عمهم اخيه اخته اخيها اخي ابنه ابنها رجل")
# a definite nisba after a person span is its family name (خالد طماح [الحازمي], تركي منور [المخلفي]) when the
# encyclopedia hardly knows it and never in the feminine: an adjective has both genders (التخصصي/التخصصية,
# الدولي/الدولية); a tribe's nisba is a name, not an adjective
FAMILY_NISBA_MAX_COUNT = 40
FEMININE_MAX_COUNT = 3  # the lexicon keeps words seen 3 times or more: 3 is "hardly ever"
# blessings that follow a name, not part of it: سعود ـ حفظه الله, عمر رضي الله عنه, طيب الله ثراه, أطال الله عمره
# (before الله only)
BLESSING_WORDS = _norm_set("حفظه حفظها حفظهما حفظهم رحمه رحمها رحمهما رحمهم يرحمه يرحمها يرحمهم رضي طيب أطال")
# words that describe the person before the name, never part of it (ANERcorp: الراحل O ×8, الفقيد O ×3)
# and honorifics (معالي الوزير, سمو الأمير: ANERcorp معالي O ×4); a span of nothing else is no name
LEADING_DESCRIPTORS = _norm_set("الراحل الراحلة المرحوم المرحومة الفقيد الفقيدة معالي سمو فخامة سعادة")
# titles of an office over a place (محافظ نينوى, أمير عسير, سفير مصر): the place right after them is no name's part
OFFICE_TITLES = _norm_set("محافظ والي عمدة أمير سفير رئيس وزير قائد")
# ordinary words the model reads as a name of one word: «في الجوار», «دول الجوار» ("the neighbourhood")
NOT_NAMES = _norm_set("الجوار")
# مالي is "financial" after an indefinite noun when the model is unsure (مبلغ مالي, فحص مالي: ANERcorp 3 LOC, 5 O),
# and Mali after a preposition, a direction, a state's head word or a verb (see _adjective_context)
MALI = normalize_text("مالي")
MALI_BEFORE = _norm_set("""في من الى إلى عن مع بين شمال جنوب وسط شرق غرب شمالي جنوبي دولة جمهورية حكومة رئيس عاصمة
سفير سفارة زار وصل خارجية وزير وقعت أن إن""")
MALI_SURE = 0.9  # the model's score above which its Mali stands whatever the word before
# phrases about God the model reads as a name: «بحمد الله» "thank God", «بارك الله فيكم» "God bless you"
DIVINE_PHRASES = frozenset(tuple(normalize_text(w) for w in p.split()) for p in """بحمد الله|الحمد لله|والحمد لله|بارك الله
|بإذن الله|إن شاء الله|ما شاء الله|سبحان الله|جزاه الله|وفقه الله|أعان الله|لا إله إلا الله|يا الله|بعون الله|بفضل الله
|فضل الله عليه""".replace("\n", "").split("|"))
WALAD, SHEIKH = normalize_text("ولد"), normalize_text("الشيخ")
# verbs that report what someone said or did, beyond the model's SAY_VERBS feature list (kept as trained)
REPORT_VERBS = _norm_set("شدد دعا أشار لفت حذر طالب اعتبر رأى أعلن كشف نفى أبدى أعرب رحب التقى استقبل زار")
SUBJECT_VERBS = SAY_VERBS | REPORT_VERBS
# ريف + a place is one region (ريف دمشق, ريف حمص الشمالي): the model tags the two words apart
COUNTRYSIDE = normalize_text("ريف")
# الرحمن first in a span, or after these words, names God (ضيوف الرحمن "the pilgrims", بسم الله الرحمن, الرحمن
# الرحيم); inside a name it stays (عبد الرحمن, مجيب الرحمن, فضل الرحمن)
RAHMAN = normalize_text("الرحمن")
GOD_BEFORE = _norm_set("ضيوف عباد الله بسم ملكوت")
# first words of a span that is no person: a disease or a storm named after a word the model reads as a name
# («فيروس كورونا», «إعصار كاترينا»), and «حسن» + a quality (حسن الجوار "good neighbourliness", حسن النية)
NOT_PERSON_FIRST = _norm_set("فيروس الفيروس جائحة وباء متلازمة إعصار الإعصار عاصفة العاصفة")
GOOD_WHAT = _norm_set("""الجوار النية الظن الخلق السير السلوك التعامل الأداء الاستقبال الضيافة التنظيم الإدارة
الحظ التصرف الاستماع الختام""")
COMMON_WORD_COUNT = 50  # arwiki uses that make an ordinary word (بالمر's المر has 28: a name's part)
# a currency after an amount is not a club (ANERcorp's ريال is Real Madrid; Gulf news writes 4.1 مليار ريال
# hundreds of times a day) but what ANERcorp tags MISC: 500 ألف ريال, الريال اليمني
CURRENCIES = _norm_set("""ريال الريال ريالا ريالات دولار الدولار دولارا دولارات يورو اليورو درهم الدرهم دينار الدينار
دينارا جنيه الجنيه جنيها ليرة الليرة روبل الروبل يوان اليوان روبية فرنك شيكل الشيكل""")
RIYALS = _norm_set("ريال الريال ريالا ريالات")
AMOUNT_WORDS = _norm_set("""مليون ملايين ملاين مليوني مليونين مليونا مليار مليارات ملياري مليارين ألف آلاف ألفي ألفين
الف الاف تريليون ترليون تريليونات نصف ربع مئة مائة مئات مئتي مائتي عشرات""")
# nouns whose genitive is a currency: سعر الريال, سعر صرف الدولار, عملة الريال
CURRENCY_HEADS = _norm_set("سعر أسعار صرف عملة عملات فائدة")
NUMBER_WORD_FORMS = _norm_set(NUMBER_WORDS)


def _shape(w: str) -> str:
    if w.isdigit():
        return "D"
    c = w[0]
    if "\u0600" <= c <= "\u06ff":
        return "A"
    if c.isalpha():
        return "L" if w.isascii() else "X"
    if c.isdigit():
        return "DX"
    return "P"


LEXICON_FILES = ("clusters.tsv.gz", "gazetteer.tsv.gz", "context.tsv.gz")
SUBWORDS_FILE = "subwords.npz"  # optional: clusters of unseen words from character n-grams (pipeline.subwords)


def _lexicon_key(model_dir: Path) -> str:
    """Content hash of a model dir's lexicon files (clusters, gazetteer, context flags)."""
    import hashlib

    h = hashlib.sha1()
    for name in LEXICON_FILES:
        p = model_dir / name
        h.update(name.encode() + (gzip.decompress(p.read_bytes()) if p.exists() else b"-"))  # gzip headers hold mtimes
    p = model_dir / SUBWORDS_FILE
    h.update(SUBWORDS_FILE.encode() + (p.read_bytes() if p.exists() else b"-"))
    return h.hexdigest()


class Lexicon:
    """Word-level resources shipped with a model: clusters and gazetteer flags."""

    def __init__(self, clusters: dict[str, tuple[str, ...]] | None = None,
                 gazetteer: dict[str, str] | None = None, context: dict[str, str] | None = None,
                 subwords=None):
        self.clusters = clusters or {}
        self.gazetteer = gazetteer or {}
        self.context = context or {}  # distributional trigger flags from unlabelled text
        self.subwords = subwords  # pipeline.subwords.SubwordVectors: clusters for words the table lacks

    def word_clusters(self, word: str, stem: str) -> tuple[tuple[str, ...], bool]:
        """(clusters, unseen): the word's clusters in the table, else its stem's; a word in neither is unseen and
        gets, with subword vectors, the stem's clusters from its character n-grams (else none)."""
        cl = self.clusters.get(word) or self.clusters.get(stem)
        if cl:
            return cl, False
        return (self.subwords.clusters(stem) if self.subwords is not None else ()), True

    @classmethod
    def load(cls, model_dir: Path) -> "Lexicon":
        """The lexicon files of a model dir; dirs with the same files share one instance (ensemble members)."""
        key = _lexicon_key(model_dir)
        lexicon = _LEXICONS.get(key)
        if lexicon is None:
            lexicon = _LEXICONS[key] = cls._read(model_dir)
        return lexicon

    def save(self, model_dir: Path) -> None:
        """Write the lexicon files ``load`` reads (small lexicons: tests, hand-made models)."""
        with gzip.open(model_dir / "clusters.tsv.gz", "wt", encoding="utf-8") as f:
            f.writelines(w + "\t" + "\t".join(c) + "\n" for w, c in self.clusters.items())
        for name, table in (("gazetteer.tsv.gz", self.gazetteer), ("context.tsv.gz", self.context)):
            with gzip.open(model_dir / name, "wt", encoding="utf-8") as f:
                f.writelines(f"{w}\t{flags}\n" for w, flags in table.items())
        if self.subwords is not None:
            self.subwords.save(model_dir / SUBWORDS_FILE)

    @classmethod
    def _read(cls, model_dir: Path) -> "Lexicon":
        clusters: dict[str, tuple[str, ...]] = {}
        gaz: dict[str, str] = {}
        p = model_dir / "clusters.tsv.gz"
        if p.exists():
            with gzip.open(p, "rt", encoding="utf-8") as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    clusters[parts[0]] = tuple(parts[1:])
        p = model_dir / "gazetteer.tsv.gz"
        if p.exists():
            with gzip.open(p, "rt", encoding="utf-8") as f:
                for line in f:
                    w, _, flags = line.rstrip("\n").partition("\t")
                    gaz[w] = flags
        ctx: dict[str, str] = {}
        p = model_dir / "context.tsv.gz"
        if p.exists():
            with gzip.open(p, "rt", encoding="utf-8") as f:
                for line in f:
                    w, _, flags = line.rstrip("\n").partition("\t")
                    ctx[w] = flags
        subwords = None
        if (model_dir / SUBWORDS_FILE).exists():
            from pipeline.subwords import SubwordVectors

            subwords = SubwordVectors.load(model_dir / SUBWORDS_FILE)
        return cls(clusters, gaz, ctx, subwords)


PAD_FEATURES = {d: [f"{d}w=<pad>"] for d in (-2, -1, 1, 2)}  # offsets past the sentence's ends
_OFFSET_PREFIXES = tuple((d, str(d)) for d in (-2, -1, 1, 2))  # a neighbour's features start with its offset


def domain_copy(domain: int, feature: str) -> str:
    """A feature's copy for an extra training set (``pipeline.train.ner --extra-domain``): it absorbs that set's
    own conventions in training and is never fired at run time."""
    return f"D{domain}|{feature}"


def is_domain_copy(attribute: str) -> bool:
    return attribute[:1] == "D" and "|" in attribute[:4] and attribute[1:attribute.index("|")].isdigit()


_LEXICONS: "weakref.WeakValueDictionary[str, Lexicon]" = weakref.WeakValueDictionary()


class Featurizer:
    """CRF features. Word-level parts are cached per word type; context joins them."""

    # 20k word types cover most tokens of news text; a bigger cache made a worker's memory grow by
    # ~1.8 KB per new word type (to ~500 MB over a 31k-article dump) for no measurable speed gain
    def __init__(self, lexicon: Lexicon, cache_size: int = 20_000, options: dict | None = None):
        self.lex = lexicon
        self.cache_size = cache_size
        self.word_info = lru_cache(maxsize=cache_size)(self._word_info)  # least recently used types go first
        # the word-level facts without feature strings: what the BiLSTM needs, and what the CRF builds its rows from
        self.word_core = lru_cache(maxsize=cache_size)(self._word_core)
        # feature groups added after the first models; a model's meta.json "features" turns them on
        self.quotes = bool((options or {}).get("quotes"))

    def _word_core(self, w: str) -> tuple:
        """(proclitic prefix, word, loose stem, cluster0, cluster1, trig, shape, gaz, context flags, stem, bare stem,
        clusters, unseen): items 1-8 are word_info's, and both end with ``unseen`` (not in the cluster table)."""
        lex = self.lex
        candidates = candidate_splits(w, as_trained=True)
        split = split_proclitics(w, candidates=candidates)
        stem = split.stem
        # a liberal stem: the longest candidate split whose stem is a known title/head/gazetteer word
        loose = stem
        for cand in candidates:
            s = cand.canonical
            if s in PER_TITLES or s in ORG_HEADS or s in LOC_HEADS or s in lex.gazetteer or s in lex.clusters:
                loose = s
                break
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
        cl, unseen = lex.word_clusters(w, loose)
        gaz = lex.gazetteer.get(w) or lex.gazetteer.get(loose) or lex.gazetteer.get(bare) or ""
        trig = ("T" if loose in PER_TITLES else "") + ("S" if w in SAY_VERBS else "") + \
               ("O" if loose in ORG_HEADS else "") + ("L" if loose in LOC_HEADS else "") + \
               ("P" if w in LOC_PREPS else "")
        shape = _shape(w)
        dctx = lex.context.get(w) or lex.context.get(loose) or "" if lex.context else ""
        # an unseen word's n-gram clusters are guesses (right ~1 time in 10): they feed only its own features,
        # under their own names, never the cluster slots its neighbours and the BiLSTM's lookups read
        c0, c1 = ("-", "-") if unseen or not cl else (cl[0], cl[1] if len(cl) > 1 else "-")
        return split.prefix, w, loose, c0, c1, trig, shape, gaz, dctx, stem, bare, cl, unseen

    def _word_info(self, w: str) -> tuple:
        feats, near, far, core = self.word_features(w)
        _, w, loose, c0, c1, trig, shape, gaz, dctx = core[:9]
        seen = {d: tuple([prefix + x for x in (near if d in (-1, 1) else far)]) for d, prefix in _OFFSET_PREFIXES}
        # (features, word, stem, cluster0, cluster1, trig, shape, gaz, context flags, features seen from offsets,
        # unseen);
        # tuples, not lists: the garbage collector stops tracking a tuple (then the dict and the whole entry)
        # of strings, so its full collections do not rescan the ~20k cached entries (~10% of run time with lists)
        return feats, w, loose, c0, c1, trig, shape, gaz, dctx, seen, core[-1]

    def word_features(self, w: str) -> tuple[tuple[str, ...], list[str], list[str], tuple]:
        """(the word's own features, what a token sees of it at distance 1 and at distance 2 before the offset
        prefix, ``word_core(w)``). Not cached: ``word_info`` caches the prefixed form, the CRF its weight rows."""
        core = self.word_core(w)
        proclitics, w, loose, c0, c1, trig, shape, gaz, dctx, stem, bare, cl, unseen = core
        feats = [
            "w=" + w, "st=" + stem, "ls=" + loose, "pre=" + proclitics, "sh=" + shape,
            "p1=" + w[:1], "p2=" + w[:2], "p3=" + w[:3], "s1=" + w[-1:], "s2=" + w[-2:], "s3=" + w[-3:],
            "sp2=" + bare[:2], "ss2=" + bare[-2:], "ss3=" + bare[-3:], "len=" + str(min(len(w), 8)),
        ]
        if stem.startswith("ال"):
            feats.append("al")
        for k, c in enumerate(cl):
            feats.append(f"{'u' if unseen else 'c'}{k}={c}")
        if unseen:  # rare words are often names, whether or not their n-grams give them clusters
            feats.append("c=none")
        for g in gaz.split(","):
            if g:
                feats.append("g=" + g)
        for t in trig:
            feats.append("t=" + t)
        for d in dctx.split(","):
            if d:
                feats.append("d=" + d)
        # what a tagged token sees of this word when the word sits d positions away (d = -2, -1, 1, 2)
        near = [f"w={w}", f"c={c0}", f"ls={loose}", f"C={c1}", f"s3={w[-3:]}"] + [f"t={t}" for t in trig] + \
               ["g=" + g for g in gaz.split(",") if g] + ["d=" + d for d in dctx.split(",") if d]
        far = [f"w={w}", f"c={c0}"] + ([f"t={trig}"] if trig else [])
        return tuple(feats), near, far, core

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        infos = [self.word_info(w or "_") for w in words]
        n = len(infos)
        out = []
        for i, info in enumerate(infos):
            f = list(info[0])
            for d in (-2, -1, 1, 2):
                j = i + d
                f += infos[j][9][d] if 0 <= j < n else PAD_FEATURES[d]
            if i > 0:
                f.append(f"bw={infos[i-1][1]}|{info[1]}")
                f.append(f"bc={infos[i-1][3]}|{info[3]}")
            if i + 1 < n:
                f.append(f"fw={info[1]}|{infos[i+1][1]}")
            if i == 0:
                f.append("BOS")
            if i == n - 1:
                f.append("EOS")
            out.append(f)
        if self.quotes:
            self._quote_features(infos, out)
        return out

    def _quote_features(self, infos: list[tuple], out: list[list[str]]) -> None:
        """Names of programmes, products, newspapers and clubs are often quoted: « الناس وانا ».

        A CRF sees two words each side; this tells every word of a short quoted run that it is quoted,
        how long the run is and which word introduced it (برنامج, بعنوان, صحيفة, شركة ...).
        """
        n = len(infos)
        i = 0
        while i < n:
            w = infos[i][1]
            close = QUOTE_PAIRS.get(w)
            if close is None:
                i += 1
                continue
            j = i + 1
            while j < n and j - i <= MAX_QUOTED and infos[j][1] != close and infos[j][1] not in QUOTE_PAIRS:
                j += 1
            if j < n and infos[j][1] == close and 1 < j - i <= MAX_QUOTED:
                head = infos[i - 1][2] if i > 0 else "<s>"
                size = str(min(j - i - 1, 4))
                for k in range(i + 1, j):
                    f = out[k]
                    f.append("q")
                    f.append("qh=" + head)
                    f.append("qn=" + size)
                    if k == i + 1:
                        f.append("qB")
                    if k == j - 1:
                        f.append("qE")
                i = j + 1
            else:
                i += 1


def tags_to_spans(tags: Sequence[str], probs: Sequence[float] | None = None) -> list[SpanPred]:
    """Spans from BIO or BIOES tags (a stray I-/E- starts a span; E-/S- end one)."""
    spans: list[SpanPred] = []
    start, label = -1, None

    def close(end: int) -> None:
        score = sum(probs[start:end]) / (end - start) if probs is not None else 1.0
        spans.append((start, end, label, float(score)))

    for i, tag in enumerate(tags):
        kind, typ = tag[:1], tag[2:]
        if tag == "O" or kind in "BS" or typ != label:
            if label is not None:
                close(i)
            start, label = (i, typ) if tag != "O" else (-1, None)
        if kind in "ES" and label is not None:
            close(i + 1)
            start, label = -1, None
    if label is not None:
        close(len(tags))
    return spans


def to_bioes(tags: Sequence[str]) -> list[str]:
    """BIO -> BIOES: the last tag of a span becomes E- (S- for one-token spans)."""
    out = list(tags)
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        nxt = tags[i + 1] if i + 1 < len(tags) else "O"
        ends = nxt != "I-" + tag[2:]
        if ends:
            out[i] = ("S-" if tag[0] == "B" else "E-") + tag[2:]
    return out


# a weight line of crfsuite's dump, as pycrfsuite's own parser reads it: "(0) attribute --> label: weight"
_DUMP_WEIGHT = re.compile(r"^[ \t]*\(\d+\) (.+) --> (.+): ([+-]?\d+\.\d+)", re.M)


def crfsuite_weights(tagger) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """(transitions, state features) of an open ``pycrfsuite.Tagger``: what ``tagger.info()`` gives, in the same
    order, from one regex pass per section of its dump (``info()`` matches line by line: ~0.5 s per model load)."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".crfdump")
    os.close(fd)
    try:
        tagger.dump(name)
        with open(name, encoding="utf-8", newline="") as f:
            text = f.read()
    finally:
        os.unlink(name)
    sections = {}
    for section in ("TRANSITIONS", "STATE_FEATURES"):
        start = text.find(f"\n{section} = {{\n")
        end = text.find("\n}", start + 1)
        body = text[start:end] if start >= 0 else ""
        sections[section] = {(a, b): float(w) for a, b, w in _DUMP_WEIGHT.findall(body)}
    return sections["TRANSITIONS"], sections["STATE_FEATURES"]


class CRFBackend:
    """A python-crfsuite model, scored in numpy.

    crfsuite's weights are read once at load; each word type's summed weights, as the token itself and as a
    neighbour at offsets -2..2, are cached, so a token costs a few vector additions instead of ~60 feature
    strings looked up by crfsuite. Viterbi and forward-backward run batched over sentences; the result is
    crfsuite's own (same features, same weights; tests compare the two).
    """

    name = "crf"
    CACHE_SIZE = 30_000  # word types; their table takes 5 rows of n float64 each (10.8 MB with 9 tags)

    def __init__(self, model_dir: Path, meta: dict):
        import numpy as np
        import pycrfsuite

        self.np = np
        path = model_dir / meta.get("crf_file", "crf.model")
        if not path.exists():
            raise ModelError(f"NER model file {path} is missing; {TRAIN_HINT}")
        self.tagger = pycrfsuite.Tagger()  # kept for feature-level use (training tools); predict needs numpy only
        try:
            self.tagger.open(str(path))
            transitions, state_features = crfsuite_weights(self.tagger)
        except Exception as exc:  # crfsuite raises ValueError/IOError on a bad file
            raise ModelError(f"NER model file {path} cannot be read ({exc}); {TRAIN_HINT}") from exc
        self.featurizer = Featurizer(Lexicon.load(model_dir), options=meta.get("features"))
        self.tags = list(self.tagger.labels())
        label = {t: i for i, t in enumerate(self.tags)}
        n = len(self.tags)
        attrs: dict[str, int] = {}
        state_features = {k: w for k, w in state_features.items() if not is_domain_copy(k[0])}
        for a, _ in state_features:
            attrs.setdefault(a, len(attrs))
        weights = np.zeros((len(attrs), n))
        for (a, y), w in state_features.items():
            weights[attrs[a], label[y]] = w
        self.attrs = attrs
        # a neighbour's features by offset, unprefixed: new word types skip building "-2w=..." strings
        self.offset_attrs = {d: {a[len(prefix):]: k for a, k in attrs.items() if a.startswith(prefix)}
                             for d, prefix in _OFFSET_PREFIXES}
        self.weights = np.vstack([weights, np.zeros(n)])  # a zero row: every group of a type's features has one
        self.trans = np.zeros((n, n))
        for (y1, y2), w in transitions.items():
            self.trans[label[y1], label[y2]] = w
        self.pad = {d: self.weights[[attrs[f] for f in PAD_FEATURES[d] if f in attrs] + [len(attrs)]].sum(0)
                    for d in PAD_FEATURES}
        # cached word types' rows live in one table, so a batch gathers them with one fancy index
        self.type_cache: OrderedDict[str, int] = OrderedDict()  # word type -> its slot, least recently used first
        self.type_table = np.empty((self.CACHE_SIZE, 5, n))
        self.type_clusters = [""] * self.CACHE_SIZE  # the first cluster of the word type in each slot

    def type_rows(self, types: Sequence[str]) -> "tuple[np.ndarray, list[str]]":
        """(len(types), 5, n): each word type's weights as the neighbour at offset -2, -1, as the token, at +1, +2;
        and each type's first cluster (for the bc feature)."""
        cache, table, type_clusters = self.type_cache, self.type_table, self.type_clusters
        rows = self.np.empty((len(types), 5, len(self.tags)))
        clusters = [""] * len(types)
        hits, slots, new = [], [], []
        for k, w in enumerate(types):
            slot = cache.get(w)
            if slot is None:
                new.append(k)
            else:
                cache.move_to_end(w)
                hits.append(k)
                slots.append(slot)
                clusters[k] = type_clusters[slot]
        if hits:
            rows[hits] = table[slots]
        if new:
            rows[new], new_clusters = self._new_type_rows([types[k] for k in new])
            for k, c in zip(new, new_clusters):
                clusters[k] = c
            kept = new[-len(table):]  # a batch with more new types than the table has slots keeps its last ones
            new_slots = []
            for k in kept:
                slot = len(cache) if len(cache) < len(table) else cache.popitem(last=False)[1]
                cache[types[k]] = slot
                type_clusters[slot] = clusters[k]
                new_slots.append(slot)
            table[new_slots] = rows[kept]
        return rows, clusters

    def _new_type_rows(self, types: list[str]) -> "tuple[np.ndarray, list[str]]":
        """``type_rows`` computed: one gather and one reduceat for all the types (each segment's sum is the
        same sequential sum as for the type alone)."""
        zero, word_features = len(self.attrs), self.featurizer.word_features
        at = self.offset_attrs
        lookups = (at[-2].get, at[-1].get, self.attrs.get, at[1].get, at[2].get)  # in word_info's group order
        idx: list[int] = []
        starts = []
        clusters = []
        for w in types:
            feats, near, far, core = word_features(w)
            clusters.append(core[3])
            for get, features in zip(lookups, (far, near, feats, near, far)):
                starts.append(len(idx))
                idx.append(zero)
                idx += [k for k in map(get, features) if k is not None]
        return self.np.add.reduceat(self.weights[idx], starts).reshape(len(types), 5, len(self.tags)), clusters

    def emissions(self, words: Sequence[str]):
        """(len(words), n) state scores: the sum of the weights of each token's features."""
        return self._flat_emissions([words])

    def _flat_emissions(self, sentences: Sequence[Sequence[str]]):
        """(total words, n) state scores of non-empty sentences, concatenated.

        Vectorized over the whole batch, but each token's score is the same sum, in the same order
        (own weights, the neighbours at -2, -1, +1, +2, then bw, bc, fw, BOS, EOS, quotes), as
        adding its features one by one: a missing feature adds the zero row, which changes no float.
        """
        np = self.np
        feat = self.featurizer
        words = [w or "_" for s in sentences for w in s]
        types = list(dict.fromkeys(words))
        type_index = {w: k for k, w in enumerate(types)}
        tok_type_list = [type_index[w] for w in words]
        tok_type = np.array(tok_type_list)
        rows, cluster = self.type_rows(types)  # (types, 5, n), first clusters
        lens = np.array([len(s) for s in sentences])
        pos = token_positions(lens)[1]
        slen = np.repeat(lens, lens)
        E = rows[tok_type, 2]
        for d in (-2, -1, 1, 2):  # token i sees word i+d, or the padding past the sentence's ends
            inside = ((pos + d >= 0) & (pos + d < slen))[:, None]
            neighbour = rows[tok_type[np.clip(np.arange(len(words)) + d, 0, len(words) - 1)], d + 2]
            E += np.where(inside, neighbour, self.pad[d])
        for rows_of_feature in self._pair_feature_rows(words, [cluster[k] for k in tok_type_list], pos):
            E += self.weights[rows_of_feature]
        first = np.flatnonzero(pos == 0)
        for name, at in (("BOS", first), ("EOS", first + lens - 1)):
            E[at] += self.weights[self.attrs.get(name, len(self.attrs))]
        if feat.quotes:
            self._add_quote_features(E, sentences, first)
        return E

    def _pair_feature_rows(self, words: list[str], clusters: list[str], pos) -> list[list[int]]:
        """Weight rows of each token's word-pair features bw (previous word), bc (previous cluster) and
        fw (next word), the zero row where the token has none or the model does not know it."""
        get, zero = self.attrs.get, len(self.attrs)
        joined = (pos[1:] > 0).tolist()  # token i and i + 1 are in the same sentence
        bw = [get(f"bw={a}|{b}", zero) if j else zero for a, b, j in zip(words, words[1:], joined)]
        bc = [get(f"bc={a}|{b}", zero) if j else zero for a, b, j in zip(clusters, clusters[1:], joined)]
        fw = [get(f"fw={a}|{b}", zero) if j else zero for a, b, j in zip(words, words[1:], joined)]
        return [[zero] + bw, [zero] + bc, fw + [zero]]

    def _add_quote_features(self, E, sentences: Sequence[Sequence[str]], first) -> None:
        """The featurizer's quote features of each sentence, added token by token (they come last)."""
        feat, attrs, weights = self.featurizer, self.attrs, self.weights
        for s, offset in zip(sentences, first.tolist()):
            extra: list[list[str]] = [[] for _ in s]
            feat._quote_features([feat.word_core(w or "_") for w in s], extra)  # reads items 1-2, as word_info's
            for i, f in enumerate(extra):
                for a in f:
                    k = attrs.get(a)
                    if k is not None:
                        E[offset + i] += weights[k]

    def _batches(self, sentences):
        """(sentence indices, padded emissions (B, T, n), lengths) for batches of similar length."""
        np = self.np
        for idx in _length_batches(sentences, 4000):
            lens = np.array([len(sentences[i]) for i in idx])
            E = np.zeros((len(idx), int(lens.max()), len(self.tags)))
            E[token_positions(lens)] = self._flat_emissions([sentences[i] for i in idx])
            yield idx, E, lens

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[SpanPred]]:
        out: list[list[SpanPred]] = [[] for _ in sentences]
        zero = self.np.zeros(len(self.tags))
        for idx, E, lens in self._batches(sentences):
            for i, spans in zip(idx, decode_spans(E, lens, self.trans, zero, zero, self.tags)):
                out[i] = spans
        return out

    def marginals(self, sentences, tags):
        """Per sentence, (len, len(tags)) marginal probabilities of ``tags`` (0 for tags the model lacks)."""
        np = self.np
        col = [self.tags.index(t) if t in self.tags else -1 for t in tags]
        zero = np.zeros(len(self.tags))
        out: list = [np.zeros((0, len(tags)), dtype=np.float32) for _ in sentences]
        for idx, E, lens in self._batches(sentences):
            marg = forward_backward(E, lens, self.trans, zero, zero)
            marg = np.concatenate([marg, np.zeros(marg.shape[:2] + (1,))], axis=2)  # column -1: tags it lacks
            picked = marg[:, :, col].astype(np.float32)
            for r, i in enumerate(idx):
                out[i] = picked[r, :lens[r]]
        return out


# --------------------------------------------------------------------------
# numpy BiLSTM-CRF (trained by pipeline.train.bilstm in torch, run here without torch)

FLAG_NAMES = ("T", "S", "O", "L", "P", "al", "pre", "preW", "preB", "preL", "preF", "preK",
              "shD", "shL", "shP", "shX", "LOC1", "LOCb", "LOCm", "ORG1", "ORGb", "ORGm", "PER1", "PERb", "PERm",
              "nocl") + tuple(f"d{k}{b}" for k in "TOLSB" for b in "123")
_FLAG_INDEX = {n: i for i, n in enumerate(FLAG_NAMES)}


def word_flags(info: tuple, prefix: str) -> list[int]:
    """Indices into FLAG_NAMES for a word (from ``Featurizer.word_info`` or ``word_core``: items 1-8 and the
    last, ``unseen``)."""
    idx = _FLAG_INDEX
    out = [idx[t] for t in info[5]]
    if info[2].startswith("ال"):
        out.append(idx["al"])
    if prefix:
        out.append(idx["pre"])
        for ch, name in (("و", "preW"), ("ب", "preB"), ("ل", "preL"), ("ف", "preF"), ("ك", "preK")):
            if ch in prefix:
                out.append(idx[name])
    sh = info[6]
    if sh in ("D", "L", "P", "X"):
        out.append(idx["sh" + sh])
    for g in info[7].split(","):
        if g in idx:
            out.append(idx[g])
    if info[-1]:  # unseen: not in the cluster table
        out.append(idx["nocl"])
    for g in info[8].split(","):
        if g and "d" + g in idx:  # finer context flags (lexicon_extra --fine) have no BiLSTM input
            out.append(idx["d" + g])
    return out


def type_ids(info: tuple, ids: Sequence[dict[str, int]]) -> list[int]:
    """Ids of a word in the BiLSTM's trainable lookups (training word, cluster 0, cluster 1); 1 = unknown."""
    keys = (info[1], info[3], info[4])
    return [vocab.get(key, 1) for vocab, key in zip(ids, keys)]


def char_ids(w: str, chars: dict[str, int], max_len: int) -> list[int]:
    if len(w) > max_len:
        half = max_len // 2
        w = w[:half] + w[-(max_len - half):]
    return [chars.get(c, 1) for c in w]


def word_lookup(w: str, loose: str, words: dict[str, int]) -> int:
    i = words.get(w)
    if i is None:
        i = words.get(loose)
    if i is None and not w.isascii():
        return 1
    if i is None:
        i = words.get(w.lower(), 1)
    return i


def _limit_blas_threads() -> None:
    """Small matrices: a multi-threaded BLAS only spins. ARABIC_NER_BLAS_THREADS (default 1)."""
    import os

    n = int(os.environ.get("ARABIC_NER_BLAS_THREADS", "1"))
    if n <= 0:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional; without it set OPENBLAS_NUM_THREADS=1 yourself
        return
    threadpool_limits(limits=n, user_api="blas")


def _length_batches(sentences, batch_words: int):
    """Indices of the non-empty sentences, shortest first, in batches of about ``batch_words`` padded words."""
    order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
    k = 0
    while k < len(order):
        j = k
        while j < len(order) and (j - k + 1) * len(sentences[order[j]]) <= batch_words:
            j += 1
        j = max(j, k + 1)
        yield order[k:j]
        k = j


def token_positions(lens):
    """For the tokens of sentences of lengths ``lens``, concatenated: (sentence index, index in the sentence)."""
    import numpy as np

    starts = np.cumsum(lens) - lens
    return np.repeat(np.arange(len(lens)), lens), np.arange(int(np.sum(lens))) - np.repeat(starts, lens)


def forbid_ill_formed_bio(tags: Sequence[str], trans, start) -> None:
    """In place: -1e4 for starting with I-X, and for I-X after anything but B-X / I-X."""
    for j, t in enumerate(tags):
        if t.startswith("I-"):
            start[j] = -1e4
            for i, s in enumerate(tags):
                if s[2:] != t[2:]:
                    trans[i, j] = -1e4


def viterbi(scores, lens, trans, start, end=None) -> list[list[int]]:
    """Best tag paths of a padded batch. scores (B, T, n) per-token tag scores, trans (n, n) from -> to."""
    import numpy as np

    B, T, n = scores.shape
    score = start + scores[:, 0]
    back = np.zeros((B, T, n), dtype=np.int64)
    shortest = int(lens.min())
    for t in range(1, T):
        cand = score[:, :, None] + trans[None]  # (B, from, to)
        back[:, t] = cand.argmax(axis=1)
        new = cand.max(axis=1) + scores[:, t]
        score = new if t < shortest else np.where((t < lens)[:, None], new, score)  # no sentence ended yet
    if end is not None:
        score = score + end
    last = score.argmax(axis=1)
    paths = []
    for r in range(B):
        y = [int(last[r])]
        for t in range(int(lens[r]) - 1, 0, -1):
            y.append(int(back[r, t, y[-1]]))
        y.reverse()
        paths.append(y)
    return paths


def decode_spans(scores, lens, trans, start, end, tags: Sequence[str]) -> list[list[SpanPred]]:
    """Viterbi tags of a padded batch as spans, each scored by the mean marginal of its tags."""
    paths = viterbi(scores, lens, trans, start, end)
    out: list[list[SpanPred]] = [[] for _ in paths]
    o = tags.index("O")
    keep = [r for r, y in enumerate(paths) if any(t != o for t in y)]  # marginals only where there is a span
    if keep:
        marg = forward_backward(scores[keep], lens[keep], trans, start, end)
        for m, r in zip(marg, keep):
            y = paths[r]
            out[r] = tags_to_spans([tags[t] for t in y], [float(m[t, k]) for t, k in enumerate(y)])
    return out


def forward_backward(scores, lens, trans, start, end):
    """Per-token tag marginals (B, T, n) of a padded batch of linear-chain CRF scores (B, T, n)."""
    import numpy as np

    B, T, n = scores.shape
    # the same float operations, in the same order, as the textbook recursions, but into reused buffers
    a = np.empty((B, n, n), dtype=scores.dtype)
    m = np.empty((B, n), dtype=scores.dtype)
    s = np.empty((B, n), dtype=scores.dtype)
    shortest = int(lens.min())  # before it, no sentence of the batch has ended: nothing to mask
    alpha = np.empty((B, T, n), dtype=scores.dtype)
    alpha[:, 0] = start + scores[:, 0]
    for t in range(1, T):
        np.add(alpha[:, t - 1][:, :, None], trans, out=a)  # (B, from, to)
        np.max(a, axis=1, out=m)
        np.subtract(a, m[:, None, :], out=a)
        np.exp(a, out=a)
        np.sum(a, axis=1, out=s)
        np.log(s, out=s)
        s += m
        s += scores[:, t]
        alpha[:, t] = s
        if t >= shortest:
            ended = t >= lens
            alpha[ended, t] = alpha[ended, t - 1]
    beta = np.zeros((B, T, n), dtype=scores.dtype)
    beta[np.arange(B), lens - 1] = end
    for t in range(T - 2, -1, -1):
        np.add(scores[:, t + 1], beta[:, t + 1], out=s)
        np.add(trans, s[:, None, :], out=a)  # (B, from, to)
        np.max(a, axis=2, out=m)
        np.subtract(a, m[:, :, None], out=a)
        np.exp(a, out=a)
        np.sum(a, axis=2, out=s)
        np.log(s, out=s)
        s += m
        if t + 1 < shortest:
            beta[:, t] = s
        else:
            live = t + 1 < lens
            beta[live, t] = s[live]
    logz = alpha[np.arange(B), lens - 1] + end
    mz = logz.max(axis=1, keepdims=True)
    logz = (mz + np.log(np.exp(logz - mz).sum(axis=1, keepdims=True)))[:, :, None]
    alpha += beta
    alpha -= logz
    return np.exp(alpha, out=alpha)


class BiLSTMBackend:
    """char-CNN + word vectors + gazetteer/trigger flags -> BiLSTM -> CRF; numpy forward pass."""

    name = "bilstm"

    def __init__(self, model_dir: Path, meta: dict):
        import numpy as np

        self.np = np
        path = model_dir / meta.get("weights_file", "weights.npz")
        vocab_path = model_dir / "vocab.json.gz"
        for p in (path, vocab_path):
            if not p.exists():
                raise ModelError(f"NER model file {p} is missing; {TRAIN_HINT}")
        try:
            with np.load(path) as z:
                W = {k: z[k].astype(np.float32) for k in z.files}
            with gzip.open(vocab_path, "rt", encoding="utf-8") as f:
                voc = json.load(f)
        except Exception as exc:
            raise ModelError(f"NER model files in {model_dir} cannot be read ({exc}); {TRAIN_HINT}") from exc
        self.words = {w: i for i, w in enumerate(voc["words"])}
        self.chars = {c: i for i, c in enumerate(voc["chars"])}
        self.tags = list(voc["tags"])
        self.ids = [{v: i for i, v in enumerate(vs)} for vs in voc.get("ids", [])]
        self.id_embs = [W[f"id_embs.{j}.weight"] for j in range(len(self.ids))]
        cfg = meta.get("config", {})
        self.max_word_len = int(cfg.get("max_word_len", 20))
        self.featurizer = Featurizer(Lexicon.load(model_dir))
        # fastText-trained models: a word without a row gets its vector from its character n-grams
        self.subwords = self.featurizer.lex.subwords if cfg.get("subword_vectors") else None
        if cfg.get("subword_vectors") and self.subwords is None:
            raise ModelError(f"NER model {model_dir} needs its {SUBWORDS_FILE}, which is missing; {TRAIN_HINT}")
        self.W = W
        self.emb = W["word_emb"]
        self.nflags = len(FLAG_NAMES)
        self.ce = W["char_emb"]  # (nc, dc)
        cw = W["char_conv.weight"]  # (out, in, k)
        self.ck = [cw[:, :, k].T.copy() for k in range(cw.shape[2])]  # k x (in, out)
        self.cb = W["char_conv.bias"]
        H = W["lstm.weight_hh_l0"].shape[1]
        # torch orders gates i,f,g,o; reordered to i,f,o,g so one sigmoid covers the first 3H columns
        order = np.concatenate([np.arange(0, 2 * H), np.arange(3 * H, 4 * H), np.arange(2 * H, 3 * H)])
        wi, bi, self.wh = [], [], []
        for suffix in ("", "_reverse"):
            wi.append(W[f"lstm.weight_ih_l0{suffix}"][order].T)
            bi.append((W[f"lstm.bias_ih_l0{suffix}"] + W[f"lstm.bias_hh_l0{suffix}"])[order])
            self.wh.append(np.ascontiguousarray(W[f"lstm.weight_hh_l0{suffix}"][order].T))
        # the inputs depend on the word alone, so their projection (the largest matmul) runs once per type
        self.wi = np.ascontiguousarray(np.concatenate(wi, axis=1))  # (D, 8H): forward | backward
        self.bi = np.concatenate(bi)
        self.H = H
        self.proj_w = W["proj.weight"].T.copy()
        self.proj_b = W["proj.bias"]
        n = len(self.tags)
        trans = W["crf.transitions"].copy()
        start = W["crf.start_transitions"].copy()
        forbid_ill_formed_bio(self.tags, trans, start)
        self.trans, self.start, self.end = trans, start, W["crf.end_transitions"]
        # cached word types' projections are rows of one table (row 0: zeros, the padding), so a batch's
        # time-first LSTM inputs are gathered with one fancy index per direction
        self._cache: dict[str, int] = {}  # word type -> its row in _table
        self._table = np.zeros((1, 8 * H), dtype=np.float32)
        self.cache_size = 20_000
        _limit_blas_threads()
        self.n_tags = n

    def _gate_rows(self, words: list[str]):
        """Each word's row in ``_table``, its LSTM input projection for both directions; per-type cache."""
        np = self.np
        cache = self._cache
        todo = [w for w in dict.fromkeys(words) if w not in cache]
        if todo:
            used = 1 + len(cache)
            if used + len(todo) > len(self._table):  # room for the cache's bound plus one batch's new types
                grown = np.empty((max(used + len(todo), 1 + self.cache_size + len(todo)), self._table.shape[1]),
                                 dtype=np.float32)
                grown[:used] = self._table[:used]
                self._table = grown
            self._table[used:used + len(todo)] = self._new_gate_inputs(todo)
            cache.update(zip(todo, range(used, used + len(todo))))
        rows = [cache[w] for w in words]
        if len(cache) > self.cache_size:  # bounded: memory must not grow with the input (cleared after use)
            cache.clear()
        return rows

    def _new_gate_inputs(self, todo: list[str]):
        """(len(todo), 8H): the input projections of word types, in one matmul (built from whole-array writes)."""
        np = self.np
        N = len(todo)
        infos = [self.featurizer.word_core(w) for w in todo]
        chars = [char_ids(w, self.chars, self.max_word_len) for w in todo]
        lens = np.array([len(c) for c in chars])
        L = int(lens.max())
        ids = np.zeros((N, L + 2), dtype=np.int64)  # padded by 1 on each side for the k=3 conv
        rows, cols = token_positions(lens)
        ids[rows, cols + 1] = [i for c in chars for i in c]
        x = self.ce[ids]  # (N, L+2, dc)
        k = len(self.ck)
        conv = self.cb + sum(x[:, j:j + L] @ self.ck[j] for j in range(k))  # (N, L, out)
        mask = np.arange(L)[None, :] >= lens[:, None]
        conv[mask] = -np.inf
        crep = conv.max(axis=1)
        flags = np.zeros((N, self.nflags), dtype=np.float32)
        flag_rows: list[int] = []
        flag_cols: list[int] = []
        for r, info in enumerate(infos):
            on = word_flags(info, info[0])
            flag_rows += [r] * len(on)
            flag_cols += on
        flags[flag_rows, flag_cols] = 1.0
        wids = np.array([word_lookup(w, info[2], self.words) for w, info in zip(todo, infos)], dtype=np.int64)
        kids = np.array([type_ids(info, self.ids) for info in infos], dtype=np.int64).reshape(N, len(self.ids))
        vectors = self.emb[wids]
        if self.subwords is not None:
            for r in np.flatnonzero(wids == 1):  # no row: the n-gram vector, else the zero <unk> row
                v = self.subwords.unit_vector(todo[r])
                if v is not None:
                    vectors[r] = v
        X = np.concatenate([vectors, crep, flags] + [e[kids[:, j]] for j, e in enumerate(self.id_embs)],
                           axis=1)
        return X @ self.wi + self.bi

    def _lstm(self, G, lens, Wh, reverse: bool):
        """G: (T, B, 4H) padded gate inputs (columns i,f,o,g); returns (T, B, H). Time first: each step reads and
        writes contiguous rows."""
        np = self.np
        T, B, _ = G.shape
        H = self.H
        h = np.zeros((B, H), dtype=np.float32)
        c = np.zeros((B, H), dtype=np.float32)
        out = np.empty((T, B, H), dtype=np.float32)
        g = np.empty((B, 4 * H), dtype=np.float32)
        ig = np.empty((B, H), dtype=np.float32)
        # backwards: right to left over the padded batch; states are zeroed past each sentence's end, so each
        # sentence starts from a zero state at its last real token
        live = (np.arange(T)[:, None] < lens[None, :]).astype(np.float32)[:, :, None] if reverse else None
        for t in (range(T - 1, -1, -1) if reverse else range(T)):
            np.matmul(h, Wh, out=g)
            g += G[t]
            s = g[:, :3 * H]
            np.negative(s, out=s)
            np.exp(s, out=s)
            s += 1.0
            np.reciprocal(s, out=s)  # sigmoid of i, f, o
            np.tanh(g[:, 3 * H:], out=g[:, 3 * H:])
            c *= g[:, H:2 * H]
            np.multiply(g[:, :H], g[:, 3 * H:], out=ig)
            c += ig
            if reverse:
                c *= live[t]
            np.tanh(c, out=h)
            h *= g[:, 2 * H:3 * H]
            out[t] = h
        return out

    def emissions(self, sentences: Sequence[Sequence[str]]):
        np = self.np
        lens = np.array([len(s) for s in sentences])
        B, T, H = len(sentences), int(lens.max()), self.H
        flat = [w or "_" for s in sentences for w in s]
        sent, pos = token_positions(lens)
        grid = np.zeros((T, B), dtype=np.int64)  # each step's and sentence's row of _table; 0 past the end
        grid[pos, sent] = self._gate_rows(flat)
        hidden = []
        for d, (Wh, reverse) in enumerate(((self.wh[0], False), (self.wh[1], True))):
            X = self._table[:, 4 * H * d:4 * H * (d + 1)][grid]
            hidden.append(self._lstm(X, lens, Wh, reverse))
        # back to (B, T, 2H) before the projection: the same matmul, so the same float bits
        hcat = np.empty((B, T, 2 * H), dtype=np.float32)
        hcat[:, :, :H] = hidden[0].transpose(1, 0, 2)
        hcat[:, :, H:] = hidden[1].transpose(1, 0, 2)
        return hcat @ self.proj_w + self.proj_b, lens

    def predict(self, sentences: Sequence[Sequence[str]], batch_words: int = 4000) -> list[list[SpanPred]]:
        out: list[list[SpanPred]] = [[] for _ in sentences]
        for idx in _length_batches(sentences, batch_words):
            E, lens = self.emissions([sentences[i] for i in idx])
            for i, spans in zip(idx, decode_spans(E, lens, self.trans, self.start, self.end, self.tags)):
                out[i] = spans
        return out

    def marginals(self, sentences, tags, batch_words: int = 4000):
        """Per sentence, (len, len(tags)) marginal probabilities of ``tags``."""
        np = self.np
        col = [self.tags.index(t) for t in tags]
        out: list = [np.zeros((0, len(tags)), dtype=np.float32) for _ in sentences]
        for idx in _length_batches(sentences, batch_words):
            E, lens = self.emissions([sentences[i] for i in idx])
            picked = forward_backward(E, lens, self.trans, self.start, self.end)[:, :, col]
            for r, i in enumerate(idx):
                out[i] = picked[r, :len(sentences[i])]
        return out


class SpacyBackend:
    """A spaCy NER pipeline in ``<model_dir>/spacy`` — for baselines/comparison only (imports spaCy + torch)."""

    name = "spacy"

    def __init__(self, model_dir: Path, meta: dict):
        try:
            import spacy
        except ImportError as exc:  # pragma: no cover
            raise ModelError(f"NER model {model_dir} needs spaCy (pip install spacy)") from exc
        try:
            self.nlp = spacy.load(model_dir / "spacy")
        except Exception as exc:
            raise ModelError(f"spaCy model in {model_dir / 'spacy'} cannot be loaded ({exc}); {TRAIN_HINT}") from exc

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[SpanPred]]:
        from spacy.tokens import Doc

        docs = [Doc(self.nlp.vocab, words=[w or "_" for w in s]) for s in sentences]
        out = []
        for doc in self.nlp.pipe(docs, batch_size=256):
            out.append([(e.start, e.end, e.label_, 1.0) for e in doc.ents])
        return out


class EnsembleBackend:
    """Weighted average of the members' per-token tag marginals, then BIO-constrained Viterbi.

    meta: {"backend": "ensemble", "members": [{"dir": "crf", "weight": 0.5}, {"dir": "bilstm", "weight": 0.5}]}
    (member dirs relative to the model dir, each a model dir of its own).
    """

    name = "ensemble"

    def __init__(self, model_dir: Path, meta: dict):
        import numpy as np

        self.np = np
        members = meta.get("members") or []
        if not members:
            raise ModelError(f"NER ensemble {model_dir} lists no members in meta.json; {TRAIN_HINT}")
        self.members = []
        featurizers: dict[tuple, Featurizer] = {}
        for m in members:
            backend, _ = load_backend(model_dir / m["dir"])
            if not hasattr(backend, "marginals"):
                raise ModelError(f"NER ensemble member {model_dir / m['dir']} ({backend.name}) has no marginals")
            self.members.append((backend, float(m.get("weight", 1.0))))
            # members built on the same lexicon share one featurizer, so word_core runs once per word type
            featurizer = getattr(backend, "featurizer", None)
            if featurizer is not None:
                key = (id(featurizer.lex), featurizer.quotes)  # Lexicon.load shares instances by content
                backend.featurizer = featurizers.setdefault(key, featurizer)
        self.tags = list(meta.get("tags") or BIO_TAGS)
        n = len(self.tags)
        self.allowed = np.zeros((n, n), dtype=np.float32)
        self.start = np.zeros(n, dtype=np.float32)
        forbid_ill_formed_bio(self.tags, self.allowed, self.start)

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[SpanPred]]:
        np = self.np
        total = sum(w for _, w in self.members)
        mats = None
        for backend, w in self.members:
            ms = backend.marginals(sentences, self.tags)
            mats = [m * (w / total) for m in ms] if mats is None else [a + m * (w / total) for a, m in zip(mats, ms)]
        out: list[list[SpanPred]] = [[] for _ in sentences]
        o = self.tags.index("O") if "O" in self.tags else -1
        for idx in _length_batches(sentences, 4000):
            idx = [i for i in idx if not (mats[i].argmax(1) == o).all()]  # nothing to decode: all O
            if not idx:
                continue
            lens = np.array([len(sentences[i]) for i in idx])
            P = np.full((len(idx), int(lens.max()), len(self.tags)), 1e-9, dtype=np.float32)
            for r, i in enumerate(idx):
                P[r, :lens[r]] += mats[i]
            paths = viterbi(np.log(P), lens, self.allowed, self.start)
            for r, i in enumerate(idx):
                m, y = mats[i], paths[r]
                out[i] = tags_to_spans([self.tags[k] for k in y], [float(m[t, k]) for t, k in enumerate(y)])
        return out


BIO_TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


BACKENDS = {"crf": CRFBackend, "bilstm": BiLSTMBackend, "spacy": SpacyBackend, "ensemble": EnsembleBackend}


def load_backend(model_dir: str | Path):
    model_dir = Path(model_dir)
    meta_path = model_dir / "meta.json"
    if not model_dir.is_dir():
        raise ModelError(f"NER model directory {model_dir} does not exist; {TRAIN_HINT}")
    if not meta_path.exists():
        raise ModelError(f"NER model directory {model_dir} has no meta.json; {TRAIN_HINT}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"NER model meta {meta_path} is corrupt ({exc}); {TRAIN_HINT}") from exc
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        found = meta.get("format_version") if isinstance(meta, dict) else None
        raise ModelError(f"NER model in {model_dir} has format_version {found!r}, this code reads "
                         f"{FORMAT_VERSION}; {TRAIN_HINT}")
    backend = meta.get("backend")
    if backend not in BACKENDS:
        raise ModelError(f"NER model in {model_dir} uses unknown backend {backend!r} "
                         f"(known: {', '.join(BACKENDS)}); {TRAIN_HINT}")
    return BACKENDS[backend](model_dir, meta), meta


def propagate(sentences: Sequence[Sequence[str]], preds: list[list[SpanPred]], min_score: float = 0.8,
              factor: float = 0.6, surnames: bool = False,
              places: frozenset[str] = frozenset()) -> list[list[SpanPred]]:
    """Document-level consistency: a confidently tagged token sequence tags its untagged repeats.

    ``sentences`` are one document's sentences (normalized tokens). A repeat is the same tokens, its
    first one possibly with proclitics (والاهلي repeats الاهلي; the span keeps the whole token, as the
    stage does everywhere). Longer sequences first; a repeat is tagged only where no predicted span
    overlaps it; its score is ``factor`` × the source's score. With ``surnames``, a confident person's
    family name also tags its lone repeats (يلتسين after بوريس يلتسين; see ``_family_name``; ``places``
    tells national nisbas).
    """
    lex: dict[tuple[str, ...], tuple[str, float]] = {}
    for words, spans in zip(sentences, preds):
        for a, b, label, score in spans:
            if score >= min_score:
                key = tuple(words[a:b])
                if key not in lex or lex[key][1] < score:
                    lex[key] = (label, score)
    if surnames:
        for words, spans in zip(sentences, preds):
            for a, b, label, score in spans:
                key = _family_name(words, a, b, places) if label == "PER" and b - a >= 2 and score >= min_score else None
                if key is not None and (key not in lex or (lex[key][0] == "PER" and lex[key][1] < score)):
                    lex[key] = (label, score)
    if not lex:
        return preds
    by_first: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
    for key, (label, score) in sorted(lex.items(), key=lambda kv: -len(kv[0])):
        by_first.setdefault(key[0], []).append((key, label, score))
    out = []
    for words, spans in zip(sentences, preds):
        taken = [False] * len(words)
        for a, b, _, _ in spans:
            for k in range(a, b):
                taken[k] = True
        added = []
        for a, w in enumerate(words):
            if taken[a]:
                continue
            if w in by_first:
                firsts = [w]
            elif w[1:] in by_first or w[2:] in by_first or ("ال" + w[2:]) in by_first or ("ال" + w[3:]) in by_first:
                firsts = [v for c in candidate_splits(w, as_trained=True) if c.prefix for v in dict.fromkeys((c.stem, c.canonical))]
            else:  # no tagged sequence starts with this word or its proclitic-less forms
                continue
            done = False
            for first in firsts:  # the repeat's first word may carry proclitics: ولندن repeats لندن
                for key, label, score in by_first.get(first, ()):
                    b = a + len(key)
                    if b <= len(words) and tuple(words[a + 1:b]) == key[1:] and not any(taken[a:b]):
                        added.append((a, b, label, score * factor))
                        for k in range(a, b):
                            taken[k] = True
                        done = True
                        break
                if done:
                    break
        out.append(sorted(spans + added) if added else spans)
    return out


def complete_names(words: Sequence[str], spans: list[SpanPred], frequencies: dict[str, int] | None = None,
                   places: frozenset[str] = frozenset()) -> list[SpanPred]:
    """A person span that ends in a word joining a name to the next (سعد بن ابي [وقاص], جان مارك دو [لا سابليير])
    takes the next word when that word is free and can be a name, and a Mauritanian name goes on over ولد (سعيد
    [ولد محمد]). A span left ending in such a word keeps it: آبي is also a name (شينزو آبي). With ``frequencies``
    (arwiki word counts) a free family nisba right after the span joins it (``_is_family_nisba``)."""
    if not any(label == "PER" for _, _, label, _ in spans):
        return spans  # most sentences: nothing to complete
    taken = set()
    for a, b, _, _ in spans:
        taken.update(range(a, b))
    out = []
    for a, b, label, score in spans:
        if label == "PER":
            for _ in range(MAX_NAME_LINKS):
                if _joins(words[b - 1]):
                    if b < len(words) and b not in taken and (_nameable(words[b]) or words[b] in NAME_PARTICLES):
                        taken.add(b)
                        b += 1
                        continue
                elif b + 1 < len(words) and words[b] == "ولد" and not {b, b + 1} & taken and _nameable(words[b + 1]):
                    taken.update((b, b + 1))  # ولد "son of" (also "was born": ولد في / عام, which _nameable refuses)
                    b += 2
                    continue
                break
            if (frequencies is not None and b < len(words) and b not in taken
                    and _is_family_nisba(words[b], frequencies, places)):
                taken.add(b)
                b += 1
        out.append((a, b, label, score))
    return out


def trim_names(words: Sequence[str], spans: list[SpanPred], frequencies: dict[str, int] | None = None,
               places: frozenset[str] = frozenset()) -> list[SpanPred]:
    """A span that names a disease, a storm or a quality (فيروس كورونا, حسن الجوار) is no person. A person span
    starts after "the late" (الراحل, المرحوم) or an honorific, and after a place right after an office (محافظ
    [نينوى] نجم الجبوري), and ends before a blessing (سعود [حفظه الله], ابن باز
    [رحمه الله]) and before a word that is a preposition or و + the article + an ordinary word: محمد بن سلمان [للواء
    ركن], سطام بن عبدالعزيز [بالخرج], خالد [والملك حسين]. Foreign names may start like that (جوليان بالمر, ريتشارد
    والتون), so after ب/و the rest must be a title, a place or (with ``frequencies``, arwiki counts) a common word; a
    لل word is never a name's part."""
    out = []
    for a, b, label, score in spans:
        if label == "PER":
            if words[a] in NOT_PERSON_FIRST or (b == a + 2 and words[a] in ("حسن", "وحسن", "بحسن")
                                                 and words[a + 1] in GOOD_WHAT):
                continue
            while b - a > 1 and words[a] in LEADING_DESCRIPTORS:
                a += 1  # «الراحل الباجي قائد السبسي»: "the late" describes him
            if b - a >= 3 and a > 0 and words[a] in places and (words[a - 1] in OFFICE_TITLES
                                                                 or _stem(words[a - 1]) in OFFICE_TITLES):
                a += 1  # «محافظ [نينوى] نجم الجبوري»: the office's place, then the name
            for k in range(a + 1, b):
                if _ends_name_before(words, k, frequencies, places):
                    b = k
                    while b > a + 1 and not words[b - 1].isalpha():
                        b -= 1  # «عبدالله بن العباس - [رضي الله عنه]»
                    break
            if b - a >= 3 and words[b - 1] in places and words[b - 2] not in NAME_LINKS:
                b -= 1  # «محمد ولد عبد العزيز [نواكشوط]», «ماتيو دارميان [تورينو]»: the place after the name
                while b > a + 1 and not words[b - 1].isalpha():
                    b -= 1  # «عبدالرحمن الشهري - [عسير]»
        out.append((a, b, label, score))
    return out


def _ends_name_before(words: Sequence[str], k: int, frequencies: dict[str, int] | None,
                      places: frozenset[str]) -> bool:
    w = words[k]
    if w in BLESSING_WORDS:
        return k + 1 < len(words) and words[k + 1] == "الله"
    if w.startswith("لل") and len(w) >= 4:
        return True
    if not (len(w) >= 5 and w[0] in "بو" and w[1:3] == "ال"):  # فال, كال: Val-, Cal- (مارك فالبرج, باولو كالسادي)
        return False
    rest = w[1:]
    return (rest in PER_TITLES or rest in places or rest[2:] in places
            or (frequencies is not None and frequencies.get(rest, 0) >= COMMON_WORD_COUNT))


def relabel_currencies(words: Sequence[str], spans: list[SpanPred]) -> list[SpanPred]:
    """A one-word span that is a currency is MISC, as ANERcorp tags it (اليورو: 19 MISC, 2 LOC), whatever the model
    said; ريال only after an amount (309 ملايين ريال, (10.100.000) ريال) or before a nisba (الريال اليمني, ريال
    برازيلي), for ANERcorp's ريال is also Real Madrid."""
    out = []
    for a, b, label, score in spans:
        if b == a + 1 and label != "MISC" and _is_currency(words[a]) and \
                (not _is_currency(words[a], RIYALS) or _currency_context(words, a)):
            label = "MISC"
        out.append((a, b, label, score))
    return out


def drop_common_senses(words: Sequence[str], spans: list[SpanPred]) -> list[SpanPred]:
    """Drops spans over the ordinary sense of a word that is also a name: مالي "financial" after a noun (مبلغ مالي;
    Mali after في, شمال, دولة …), الجوار, الرحمن naming God (ضيوف الرحمن; not مجيب الرحمن), an honorific alone
    (معالي), a phrase about God (بحمد الله). And ريف before a place joins it (ريف | حمص → ريف حمص)."""
    out: list[SpanPred] = []
    for a, b, label, score in spans:
        w = words[a]
        if b == a + 1 and (w in NOT_NAMES or w in LEADING_DESCRIPTORS or (label == "LOC" and w == MALI and a > 0
                                                                          and _adjective_context(words[a - 1], score))):
            continue
        if label == "PER" and any(words[k] == RAHMAN and (k == a or _stem(words[k - 1]) in GOD_BEFORE)
                                  for k in range(a, b)):
            continue
        if tuple(words[a:b]) in DIVINE_PHRASES:
            continue
        if out and label == "LOC" and out[-1][2] == "LOC" and out[-1][1] == a and out[-1][1] - out[-1][0] == 1 \
                and _stem(words[a - 1]) == COUNTRYSIDE:
            prev = out.pop()
            a, score = prev[0], min(score, prev[3])
        out.append((a, b, label, score))
    return out


def join_patronymics(words: Sequence[str], spans: list[SpanPred]) -> list[SpanPred]:
    """A Mauritanian name repeated without its first name starts at ولد: «وأضاف [ولد الشيخ] أحمد», «إن [ولد]
    الغزواني». Only after a speech verb or إن/أن, where ولد cannot be the verb "was born" (ولد أحمد في 1950)."""
    out = []
    for a, b, label, score in spans:
        if label == "PER":
            k = a - 2 if a >= 2 and words[a - 1] == SHEIKH and words[a - 2] == WALAD else a - 1
            if k > 0 and words[k] == WALAD and _before_a_subject(words, k - 1):
                a = k
        out.append((a, b, label, score))
    return out


def _before_a_subject(words: Sequence[str], k: int) -> bool:
    """words[k] (or the word before an opening quote there) is a speech verb or إن/أن: a name follows it."""
    if k > 0 and not words[k].isalnum() and words[k] in QUOTE_PAIRS:
        k -= 1
    w = words[k]
    return w in SUBJECT_VERBS or w[1:] in SUBJECT_VERBS or w in ("ان", "وان")


def cut_future_verbs(words: Sequence[str], spans: list[SpanPred], frequencies: dict[str, int] | None = None,
                     places: frozenset[str] = frozenset()) -> list[SpanPred]:
    """A span ends before a future verb: «اتحاد الشجاعية | سيغادر», «أوباما | سيلجأ» (س + a present verb arwiki
    knows well: يغادر, يلجأ; سيتي, سيدني, ستوكهولم are no such verb)."""
    if frequencies is None:
        return spans
    out = []
    for a, b, label, score in spans:
        while b - a > 1 and _is_future_verb(words[b - 1], frequencies):
            b -= 1
        out.append((a, b, label, score))
    return out


def _is_future_verb(word: str, frequencies: dict[str, int]) -> bool:
    return (len(word) >= 5 and word[0] == "س" and word[1] in "تين"
            and frequencies.get(word[1:], 0) >= COMMON_WORD_COUNT)


def _stem(word: str) -> str:
    """The word without one proclitic و/ب/ل/ف (بريف → ريف)."""
    return word[1:] if len(word) > 3 and word[0] in "وبلف" else word


def _adjective_context(prev: str, score: float) -> bool:
    """مالي after ``prev`` reads "financial": after an indefinite noun (مبلغ مالي, دعم مالي) and the model unsure of
    the country; a verb, a definite word, a particle or a state's head before it leave Mali (وقعت مالي, أن مالي,
    المجموعة مالي, خارجية مالي)."""
    core = _stem(prev)
    return (score < MALI_SURE and prev.isalpha() and not prev.startswith("ال") and prev not in FUNCTION_WORDS
            and prev not in MALI_BEFORE and core not in MALI_BEFORE)


def _is_currency(word: str, currencies: frozenset[str] = CURRENCIES) -> bool:
    """ريال, بالريال, وريال, للريال (ل + الريال)."""
    return (word in currencies or (word[:1] in ("و", "ب", "ل", "ف") and word[1:] in currencies)
            or (word.startswith("لل") and "ال" + word[2:] in currencies))


def _is_amount(word: str) -> bool:
    """3000, مليار, ومليوني, المليون, ألفين, وخمسمائة, عشرة."""
    if any(ch.isdigit() for ch in word):
        return True
    for w in (word, word[1:] if word.startswith("و") else None):
        if w and (w in AMOUNT_WORDS or w in NUMBER_WORD_FORMS or (w.startswith("ال") and w[2:] in AMOUNT_WORDS)
                  or (len(w) > 4 and w.endswith(("مائه", "مئه")))):
            return True
    return False


def _currency_context(words: Sequence[str], i: int) -> bool:
    k = i - 1
    while k >= 0 and not any(ch.isalnum() for ch in words[k]):
        k -= 1  # «(10.100.000) ريال»
    if k >= 0 and (_is_amount(words[k]) or words[k] in CURRENCY_HEADS):
        return True
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return len(nxt) >= 5 and nxt.endswith("ي") and nxt.isalpha()


def join_spelled_acronyms(words: Sequence[str], spans: list[SpanPred]) -> list[SpanPred]:
    """Spans over the letters of a dotted acronym («إف. بي. آي»: إف . بي . آي as tokens) become one span over all
    its letters and what those spans took beside it, with the label of the most confident of them; the model tags
    each letter and its dot on their own."""
    if "." not in words or not spans:
        return spans
    out = list(spans)
    i = 0
    while i < len(words) - 2:
        end = i
        while end + 2 < len(words) and words[end] in LETTER_NAMES and words[end + 1] == "." \
                and words[end + 2] in LETTER_NAMES:
            end += 2
        if end == i:
            i += 1
            continue
        # spans over any of its letters, and the words they take on either side (إكسان [بي.إن.بي] باريبا)
        touching = [sp for sp in out if sp[0] <= end and sp[1] > i]
        if touching:
            best = max(touching, key=lambda sp: sp[3])
            a = min(i, *(sp[0] for sp in touching))
            b = max(end + 1, *(sp[1] for sp in touching))
            if words[b - 1] == ".":
                b -= 1  # the acronym's last dot
            out = [sp for sp in out if sp not in touching] + [(a, b, best[2], best[3])]
        i = end + 1
    return sorted(out)


def join_linked_names(spans: list[SpanPred], words: Sequence[str]) -> list[SpanPred]:
    """Two person spans with a joining word between them are one name: [سلمان بن عبدالعزيز آل] [سعود] (the model
    starts a new name after آل or بن when the next word is a name it knows on its own)."""
    if sum(label == "PER" for _, _, label, _ in spans) < 2:
        return spans
    out: list[SpanPred] = []
    for span in sorted(spans):
        if out and span[2] == "PER" and out[-1][2] == "PER" and out[-1][1] == span[0] \
                and words[span[0] - 1] in NAME_LINKS:
            a, _, _, score = out[-1]
            out[-1] = (a, span[1], "PER", max(score, span[3]))
        else:
            out.append(span)
    return out


def _is_family_nisba(word: str, frequencies: dict[str, int], places: frozenset[str]) -> bool:
    """الحازمي, المطيري, الشدادي: a definite nisba that arwiki hardly knows and never as a feminine adjective, and
    no place's (السويدي "Swedish", the national nisbas, stay out: the model's reading stands)."""
    if not (word.startswith("ال") and len(word) >= 5 and word.endswith("ي") and word.isalpha()):
        return False
    core = word[2:]
    if (len(core) == 5 and core[0] in "متا" and core[2] == "ا") or (len(core) == 4 and core[0] == "ت"):
        return False  # plurals (التعازي, المساعي, الأيادي) and form-V nouns (التحدي, التعدي) that end in ي
    return (word not in ORDINALS and word not in FUNCTION_WORDS
            and frequencies.get(word, 0) < FAMILY_NISBA_MAX_COUNT
            and frequencies.get(word + "ه", 0) <= FEMININE_MAX_COUNT
            and not is_place_nisba(word, places))


def _joins(word: str) -> bool:
    return word in NAME_LINKS or word in NAME_PARTICLES or word == "ولد"


def _nameable(word: str) -> bool:
    """Whether a word after a joining word can be a name: علي is one there (بن علي, آيت علي), not the preposition."""
    return (word.isalpha() and len(word) >= 2 and (word not in FUNCTION_WORDS or word in NAMES_LIKE_FUNCTION_WORDS)
            and word not in NOT_NAME_AFTER_LINK)



def _family_name(words: Sequence[str], start: int, end: int, places: frozenset[str]) -> tuple[str, ...] | None:
    """The words of a person name ``words[start:end]`` that may stand for that person alone later: its family
    name (يلتسين, الغنوشي; فان باستن with its particle). None for the end of a compound (ابي [طالب], شمس [الدين]),
    a regnal ordinal (الحسن [الثاني]), a title (آل [الشيخ]) or a national nisba (محمد شياع [السوداني]: elsewhere it
    says "Sudanese"; بنجلاديشي)."""
    last = words[end - 1]
    if (len(last) < 3 or last in FUNCTION_WORDS or last in ORDINALS or last in COMPOUND_ENDS or last in PER_TITLES
            or words[end - 2] in NAME_LINKS or is_place_nisba(last if last.startswith("ال") else "ال" + last, places)):
        return None
    if words[end - 2] in NAME_PARTICLES:
        return (words[end - 2], last) if end - start >= 3 else None
    return (last,)


class EntityRecognizer(BatchStage):
    """Stage: appends statistical entity candidates (source="model") to ``doc.candidates``."""

    name = "ner"

    def __init__(self, model_dir: str | Path | None = None, labels: set[str] | None = None,
                 family_nisbas: bool = True):
        """``family_nisbas``: a rare definite nisba after a person span joins it (``complete_names``; reads the
        arwiki word counts of models/lexicon)."""
        if model_dir is None:
            from pipeline.paths import default_model_dir

            model_dir = default_model_dir()
        self.model_dir = Path(model_dir)
        self.backend, self.meta = load_backend(self.model_dir)
        self.labels = set(labels) if labels is not None else None
        self._tokenizer = None
        prop = self.meta.get("propagate")  # e.g. {"min_score": 0.8, "factor": 0.6}; None = off
        self.propagate = dict(prop) if isinstance(prop, dict) else None
        # a region's or a city's nisba is as often a family name (النجراني, العجلوني, الحلبي): the family-name tests
        # know the countries and GeoNames' places, not the team's list of regions; a name still ends before any
        # listed place (سطام بن عبدالعزيز | بالخرج)
        places = place_names(without_lists=("places",)) \
            if family_nisbas or (self.propagate and self.propagate.get("surnames")) else frozenset()
        if self.propagate is not None and self.propagate.get("surnames"):
            self.propagate["places"] = places
        self._completion = self._trimming = {}
        if family_nisbas:
            from pipeline.lexicon import LEXICON_FILE, load_word_frequencies

            self._completion = {"frequencies": load_word_frequencies(LEXICON_FILE), "places": places}
            self._trimming = dict(self._completion, places=place_names())

    @property
    def backend_name(self) -> str:
        return self.backend.name

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[SpanPred]]:
        """Tag lists of normalized tokens; spans are (start, end exclusive, label, score) in token indices."""
        preds = self.backend.predict(sentences)
        if self.labels is not None:
            preds = [[s for s in p if s[2] in self.labels] for p in preds]
        return preds

    def predict_documents(self, documents: Sequence[Sequence[Sequence[str]]]) -> list[list[list[SpanPred]]]:
        """Like ``predict`` for several documents (lists of sentences), with document-level propagation."""
        flat = [s for d in documents for s in d]
        preds = self.predict(flat)
        out, k = [], 0
        for d in documents:
            p = preds[k:k + len(d)]
            k += len(d)
            if self.propagate is not None:
                p = propagate(d, p, **self.propagate)
            out.append([self._repair_names(w, spans) for w, spans in zip(d, p)])
        return out

    def _repair_names(self, words: Sequence[str], spans: list[SpanPred]) -> list[SpanPred]:
        """Currencies made MISC, ordinary senses of names dropped, dotted acronyms joined, spans ended before future
        verbs, Mauritanian names started at ولد; person spans cut where a name cannot go on, joined over آل/بن, then
        completed (see each function)."""
        spans = join_spelled_acronyms(words, drop_common_senses(words, relabel_currencies(words, spans)))
        spans = join_patronymics(words, cut_future_verbs(words, spans, **self._trimming))
        if not any(label == "PER" for _, _, label, _ in spans):
            return spans
        spans = join_linked_names(trim_names(words, spans, **self._trimming), words)
        return complete_names(words, spans, **self._completion)

    def _ensure_tokens(self, doc: Document) -> None:
        if not doc.tokens:
            if self._tokenizer is None:
                from pipeline.tokenize import Tokenizer

                self._tokenizer = Tokenizer()
            self._tokenizer(doc)

    def _process(self, docs: list[Document]) -> None:
        sents: list[list[str]] = []
        where: list[tuple[Document, int]] = []
        for doc in docs:
            self._ensure_tokens(doc)
            toks = doc.tokens
            for s in doc.sentences:
                if s.last_token > s.first_token:
                    sents.append([t.norm for t in toks[s.first_token:s.last_token]])
                    where.append((doc, s.first_token))
        preds = self.predict(sents)
        if self.propagate is not None:
            k = 0
            while k < len(where):
                j = k
                while j < len(where) and where[j][0] is where[k][0]:
                    j += 1
                preds[k:j] = propagate(sents[k:j], preds[k:j], **self.propagate)
                k = j
        preds = [self._repair_names(w, p) for w, p in zip(sents, preds)]
        for (doc, first), spans in zip(where, preds):
            toks = doc.tokens
            for a, b, label, score in spans:
                doc.candidates.append(Entity(start=toks[first + a].start, end=toks[first + b - 1].end,
                                             label=label, score=min(1.0, max(0.0, score)), source="model"))
