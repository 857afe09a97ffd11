"""Readability rules modelled on textlint's preset-ja-technical-writing: widths,
punctuation and exclamations (``check_characters``), and sentences: length, commas,
style, doubled particles (as textlint's no-doubled-joshi: compound particles are keys of
their own, a clause resets), kanji runs, endings, hedges, redundant 〜することができる,
a word said twice in a row, ら抜き言葉 (``check_sentences``).

Only the writer's own Japanese is read: no quotation or link title (``Block.quoted``),
no sentence mostly in Latin letters, no checksum (``prose.sentences_of``).
"""

import bisect
import itertools
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from django.utils.translation import gettext as _

from articles.checks.findings import INFO, WARNING
from articles.checks.prose import CODE_MARK, finding, is_foreign, sentence_at, sentences_of
from articles.rendering import japanese

_HALFWIDTH_KANA = re.compile(r"[\uff66-\uff9f]+")
_FULLWIDTH_ALNUM = re.compile(r"[Ａ-Ｚａ-ｚ０-９]+")
_JAPANESE_STOPS = re.compile(r"[、。]")
_WESTERN_STOPS = re.compile(r"[，．]")
_EXCLAMATION = re.compile(r"[！？!?]")


# A full-width character (kana, kanji, full-width punctuation excluded) and a half-width
# letter or digit side by side, with a space between them or without.
_WIDE = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々〆ヶ]"
_NARROW = r"[A-Za-z0-9]"
_SPACED = re.compile(rf"{_WIDE} +{_NARROW}|{_NARROW} +{_WIDE}")
_UNSPACED = re.compile(rf"{_WIDE}{_NARROW}|{_NARROW}{_WIDE}")


def check_spacing(blocks, limits):
    """JTF's rule (no space between full-width and half-width), or its opposite: a house
    choice, off unless ``halfwidth_spacing`` is set."""
    style = limits.get("halfwidth_spacing")
    if style not in ("never", "always"):
        return
    pattern = _SPACED if style == "never" else _UNSPACED
    for block in blocks:
        for start, sentence in sentences_of(block):
            match = pattern.search(sentence)
            if match and CODE_MARK not in match.group(0) and not block.is_quoted(start + match.start()):
                message = (_("A space between Japanese and half-width letters or digits (“%(found)s”): the house "
                             "writes none.") if style == "never" else
                           _("No space between Japanese and half-width letters or digits (“%(found)s”): the house "
                             "puts one."))
                yield finding("writing.spacing", WARNING, message % {"found": match.group(0)}, sentence)


def check_characters(blocks):
    widths = defaultdict(list)
    patterns = ((_HALFWIDTH_KANA, "writing.halfwidth_kana"), (_FULLWIDTH_ALNUM, "writing.fullwidth_alnum"))
    for block in blocks:
        for pattern, code in patterns:
            for match in pattern.finditer(block.text):
                if not block.is_quoted(match.start(), match.end()):
                    widths[(code, match.group(0))].append(sentence_at(block.text, match.start()))
    for (code, found), sentences in widths.items():
        fixed = unicodedata.normalize("NFKC", found)
        message = (_("Half-width katakana “%(found)s”: write “%(fixed)s”.") if code == "writing.halfwidth_kana"
                   else _("Full-width letters or digits “%(found)s”: write “%(fixed)s”."))
        yield finding(code, WARNING, message % {"found": found, "fixed": fixed}, sentences[0], (found, fixed))

    text_blocks = [block for block in blocks if block.kind != "heading"]
    japanese_stops = [b.text for b in text_blocks if _JAPANESE_STOPS.search(b.text)]
    western = [b.text for b in text_blocks if _WESTERN_STOPS.search(b.text)]
    if japanese_stops and western:
        sample = western[0] if len(western) <= len(japanese_stops) else japanese_stops[0]
        match = (_WESTERN_STOPS if sample in western else _JAPANESE_STOPS).search(sample)
        yield finding("writing.mixed_punctuation", WARNING,
                      _("Both 、。 and ，． are used as punctuation: use one style throughout."),
                      sentence_at(sample, match.start()))

    for block in blocks[1:]:  # after the title
        for start, sentence in japanese.sentences(block.text):
            if is_foreign(sentence):
                continue
            for match in _EXCLAMATION.finditer(sentence):
                if not block.is_quoted(start + match.start()):
                    yield finding("writing.exclamation", WARNING,
                                  _("“%(mark)s” in the text: news prose states, it does not exclaim or ask.")
                                  % {"mark": match.group(0)}, sentence)


# ---------------------------------------------------------------------------------
# Sentences

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々〆ヶ]+")
_POLITE = re.compile(r"(です|ます|でした|ました|ません|でしょう|ましょう|ください)[。！？!?」』）)]*$")
_PLAIN = re.compile(r"(である|であった|だ|だった|ではない|でない|のだ)[。！？!?」』）)]*$")


def check_sentences(blocks, limits):
    styles = {"polite": [], "plain": []}
    endings = []  # (ending, sentence) of the paragraphs' sentences, in order
    for block in blocks:
        if block.kind == "heading":
            continue
        block_words = japanese.words(block.text)
        starts = [word.start for word in block_words]
        for start, sentence in sentences_of(block):
            if CODE_MARK in sentence and len(sentence.replace(CODE_MARK, "").strip()) < 2:
                continue
            first = bisect.bisect_left(starts, start)
            last = bisect.bisect_left(starts, start + len(sentence))
            sentence_words = [word for word in block_words[first:last] if not block.is_quoted(word.start, word.end)]
            yield from _one_sentence(sentence, start, sentence_words, block, limits)
            if block.kind == "paragraph":
                if _POLITE.search(sentence):
                    styles["polite"].append(sentence)
                elif _PLAIN.search(sentence):
                    styles["plain"].append(sentence)
                endings.append((_ending(sentence_words), sentence))
            else:
                endings.append((None, sentence))
    if styles["polite"] and styles["plain"]:
        minority = min(styles.values(), key=len)
        yield finding(
            "writing.mixed_style", WARNING,
            _("です・ます and だ・である are mixed (%(polite)d and %(plain)d sentences): choose one style.")
            % {"polite": len(styles["polite"]), "plain": len(styles["plain"])},
            minority[0],
        )
    run = 1
    for index in range(1, len(endings)):
        ending = endings[index][0]
        run = run + 1 if ending is not None and ending == endings[index - 1][0] else 1
        if run == limits["same_ending"]:
            yield finding("writing.same_ending", WARNING,
                          _("%(count)d sentences in a row end with “%(ending)s”: vary the endings.")
                          % {"count": run, "ending": ending}, endings[index][1])


# Endings every sentence of a style has: repeating them is the style, not a habit.
_PLAIN_ENDINGS = frozenset({"ます", "です", "た", "だ", "である"})


def _ending(words):
    """How a sentence ends: its closing auxiliaries and particles (ています, のだ, と思います),
    or None for one that ends on a noun or a verb's own form, or on the style's own
    auxiliary alone (ます, です, た: no pattern to vary)."""
    words = [word for word in words if word.pos[0] != "補助記号"]
    tail = []
    for word in reversed(words):
        if word.pos[0] not in ("助動詞", "助詞"):
            break
        tail.insert(0, word.surface)
    ending = "".join(tail)
    return ending if ending and ending not in _PLAIN_ENDINGS else None


def _one_sentence(sentence, start, words, block, limits):
    length = block.unquoted_length(start, start + len(sentence))
    if length > limits["sentence_length"]:
        yield finding("writing.sentence_length", WARNING,
                      _("A sentence of %(length)d characters (more than %(limit)d): split it.")
                      % {"length": length, "limit": limits["sentence_length"]}, sentence)
    commas = sum(1 for index, char in enumerate(sentence) if char in "、，" and not block.is_quoted(start + index))
    if commas > limits["commas"]:
        yield finding("writing.commas", WARNING,
                      _("%(count)d commas (、) in one sentence (more than %(limit)d): split it or rephrase.")
                      % {"count": commas, "limit": limits["commas"]}, sentence)
    for match in _KANJI_RUN.finditer(sentence):
        if len(match.group(0)) > limits["kanji_run"] and not block.is_quoted(start + match.start()):
            yield finding("writing.kanji_run", WARNING,
                          _("%(count)d kanji in a row (“%(run)s”): add kana or rephrase.")
                          % {"count": len(match.group(0)), "run": match.group(0)}, sentence)
            break
    particle = doubled_particle(words)
    if particle:
        yield finding("writing.doubled_particle", WARNING,
                      _("The particle “%(particle)s” twice in one clause: rephrase one of them.")
                      % {"particle": particle}, sentence)
    hedge = _hedge(words)
    if hedge:
        yield finding("writing.hedging", INFO,
                      _("A hedge (“%(phrase)s”): say who thinks so, or state it.") % {"phrase": hedge}, sentence)
    yield from _redundant(sentence, words)
    yield from _successive(sentence, words)
    yield from _ra_dropping(sentence, words)


# ---------------------------------------------------------------------------------
# Doubled particles

# Particles whose repetition in one clause reads badly (が…が, を…を, に…に, は…は, で…で).
# Not と (AとBと lists things), の, も, や, か: textlint leaves those alone too.
_DOUBLED = {"が", "を", "に", "は", "で", "から", "より", "へ"}
# The verbs of compound particles (に対して, によって, について, に関する, における, として,
# を通じて, に基づいて, にとって, に比べて, に向けて, に応じて, に加えて, に伴って…): the
# particle before them belongs to the compound, not to the clause.
_COMPOUND_VERBS = frozenset({
    "対する", "よる", "つく", "関する", "おける", "於ける", "する", "通ずる", "通じる", "基づく", "とる",
    "比べる", "向ける", "応じる", "加える", "伴う", "沿う", "わたる", "際する", "当たる", "限る", "従う",
    "かける", "及ぶ", "向かう", "先立つ", "渡る",
})
# What begins a new clause: a comma, a conjunctive particle (〜て, 〜が, 〜ので, 〜けど,
# 〜ば), a full stop, and a predicate (a verb, an adjective, an auxiliary): 通知を受け取る
# 仕組みを入れる is two clauses, each with its own を.
_CLAUSE_BREAKS = frozenset("、，,")
_PREDICATES = frozenset({"動詞", "形容詞", "助動詞"})


def _particle_keys(words):
    """``[(key, clause, index)]`` of the case and topic particles of ``words``:
    consecutive particles are one key (では, には, とは), a compound particle is its whole
    (に対して), ``clause`` counts the clauses before it, ``index`` is its first word's."""
    keys, clause, index = [], 0, 0
    while index < len(words):
        word = words[index]
        if (word.surface in _CLAUSE_BREAKS or word.pos[1] in ("句点", "読点", "接続助詞")
                or word.pos[0] in _PREDICATES):
            clause += 1
            index += 1
            continue
        if word.pos[0] != "助詞" or word.pos[1] not in ("格助詞", "係助詞", "副助詞"):
            index += 1
            continue
        end = index + 1
        while end < len(words) and words[end].pos[0] == "助詞" and words[end].pos[1] in ("格助詞", "係助詞", "副助詞"):
            end += 1
        after = words[end] if end < len(words) else None
        if after is not None and after.pos[0] == "動詞" and after.dictionary in _COMPOUND_VERBS:
            end += 1
            if end < len(words) and words[end].surface in ("て", "た") and words[end].pos[0] == "助詞":
                end += 1  # the て of に対して is the compound's, not a new clause
            key = "".join(word.surface for word in words[index:end])
        elif after is not None and after.surface == "参考" and end + 1 < len(words) and words[end + 1].surface == "に":
            end += 2
            key = "".join(word.surface for word in words[index:end])
        else:
            key = "".join(word.surface for word in words[index:end])
        keys.append((key, clause, index))
        index = end
    return keys


def doubled_particle(words):
    """The first particle (or run of particles) used twice in one clause, or None. Twice
    in a row (状態ででコマンド) is a word said twice, another rule's."""
    seen = {}
    for key, clause, index in _particle_keys(words):
        if key in _DOUBLED:
            if (key, clause) in seen and seen[(key, clause)] < index - 1:
                return key
            seen.setdefault((key, clause), index)
    return None


# ---------------------------------------------------------------------------------
# Hedges, redundancy, words said twice, ら抜き

# (phrase, what must begin and end on a word): a hedge is these words, never a piece of
# another word (素晴らしい holds らしい).
_HEDGES = (
    re.compile(r"と思われ(?:る|ます)"), re.compile(r"と考えられ(?:る|ます)"),
    re.compile(r"かもしれ(?:ない|ません)"), re.compile(r"と言われてい(?:る|ます)"),
    re.compile(r"とみられ(?:る|ます)"), re.compile(r"と思(?:う|います)(?=[。！？!?」』）)]*$)"),
    re.compile(r"よう(?:だ|です)(?=[。！？!?」』）)]*$)"), re.compile(r"らしい"),
)


def _hedge(words):
    """The first hedge of the sentence's ``words``, or None."""
    if not words:
        return None
    text, offset = "", words[0].start
    starts, ends = set(), set()
    for word in words:
        starts.add(word.start - offset)
        text += " " * (word.start - offset - len(text)) + word.surface
        ends.add(len(text))
    for pattern in _HEDGES:
        for match in pattern.finditer(text):
            if match.start() in starts and match.end() in ends:
                return match.group(0)
    return None


def _redundant(sentence, words):
    """〜することができる: できる says it (利用することができます → 利用できます)."""
    for index in range(len(words) - 3):
        four = words[index:index + 4]
        if ([w.dictionary for w in four[:3]] == ["する", "こと", "が"] and four[3].normalized == "出来る"
                and four[3].pos[0] == "動詞"):
            before = words[index - 1] if index else None
            fix = ()
            if before is not None and before.pos[0] == "名詞" and before.end == four[0].start:
                # A noun of action before it (利用, 実行): the noun takes できる itself.
                fix = (before.surface + "することができ", before.surface + "でき")
            yield finding("writing.redundant", INFO,
                          _("“することができる” says what “できる” says: write “%(short)s”.")
                          % {"short": (before.surface if fix else "") + "できる"}, sentence,
                          fix if four[3].surface == "でき" else ())


def _successive(sentence, words):
    """A word said twice in a row (状態ででコマンド), not a word meant to repeat."""
    for previous, word in itertools.pairwise(words):
        if (word.surface == previous.surface and word.start == previous.end and word.pos[0] not in ("補助記号", "記号")
                and word.pos[1] != "数詞" and not word.surface.isascii() and CODE_MARK not in word.surface):
            yield finding("writing.successive_word", WARNING,
                          _("“%(word)s” twice in a row: delete one.") % {"word": word.surface}, sentence)


@lru_cache(maxsize=1024)
def _conjugation(verb):
    """The conjugation type of a verb's dictionary form (下一段-ラ行, 五段-ラ行…)."""
    found = japanese.words(verb)
    return found[0].pos[4] if len(found) == 1 else ""


def _ichidan(verb):
    return _conjugation(verb).startswith(("上一段", "下一段", "カ行変格"))


def _ra_dropping(sentence, words):
    """ら抜き言葉: the potential of an 一段 verb or 来る without its ら (見れる, 来れる, 食べれる)."""
    for index, word in enumerate(words):
        if word.pos[0] != "動詞":
            continue
        dropped = (word.dictionary.endswith("れる") and word.normalized.endswith("る")
                   and word.dictionary[:-2] == word.normalized[:-1] and _ichidan(word.normalized))
        following = words[index + 1] if index + 1 < len(words) else None
        split = (following is not None and following.pos[0] == "助動詞" and following.dictionary == "れる"
                 and _ichidan(word.dictionary) and word.dictionary != "する")
        if dropped or split:
            surface = word.surface + (following.surface if split else "")
            yield finding("writing.ra_dropping", WARNING,
                          _("“%(word)s” drops the ら of the potential form: write it with ら (見られる, 来られる).")
                          % {"word": surface}, sentence)
