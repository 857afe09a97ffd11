"""Readability rules modelled on textlint's preset-ja-technical-writing: widths,
punctuation and exclamations (``characters``), and sentences: length, commas, style,
doubled particles, kanji runs, endings, hedging (``sentences``)."""

import bisect
import re
import unicodedata
from collections import defaultdict

from django.utils.translation import gettext as _

from articles.checks.findings import INFO, WARNING
from articles.checks.prose import CODE_MARK, finding, sentence_at
from articles.rendering import japanese

_HALFWIDTH_KANA = re.compile(r"[\uff66-\uff9f]+")
_FULLWIDTH_ALNUM = re.compile(r"[Ａ-Ｚａ-ｚ０-９]+")
_JAPANESE_STOPS = re.compile(r"[、。]")
_WESTERN_STOPS = re.compile(r"[，．]")
_EXCLAMATION = re.compile(r"[！？!?]")


def check_characters(blocks):
    widths = defaultdict(list)
    patterns = ((_HALFWIDTH_KANA, "writing.halfwidth_kana"), (_FULLWIDTH_ALNUM, "writing.fullwidth_alnum"))
    for block in blocks:
        for pattern, code in patterns:
            for match in pattern.finditer(block.text):
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
        for match in _EXCLAMATION.finditer(block.text):
            yield finding("writing.exclamation", WARNING,
                        _("“%(mark)s” in the text: news prose states, it does not exclaim or ask.")
                        % {"mark": match.group(0)}, sentence_at(block.text, match.start()))
            break


# ---------------------------------------------------------------------------------
# Sentences: length, commas, style, particles, kanji, endings, hedging

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々〆ヶ]+")
_POLITE = re.compile(r"(です|ます|でした|ました|ません|でしょう|ましょう|ください)[。！？!?」』）)]*$")
_PLAIN = re.compile(r"(である|であった|だ|だった|ではない|でない|のだ)[。！？!?」』）)]*$")
_HEDGES = ("と思われる", "と思われます", "と考えられる", "と考えられます", "かもしれない", "かもしれません",
           "と言われている", "と言われています", "とみられる", "とみられます", "ようだ", "ようです", "らしい")
# Particles whose repetition in one clause reads badly (が…が, を…を, に…に, は…は, で…で).
# (Not と: AとBと lists things.)
_DOUBLED = {"が", "を", "に", "は", "で", "から", "より", "へ"}
_CLAUSE_BREAKS = frozenset("、，,")


def check_sentences(blocks, limits):
    styles = {"polite": [], "plain": []}
    endings = []  # (ending, sentence) of the paragraphs' sentences, in order
    for block in blocks:
        if block.kind == "heading":
            continue
        block_words = japanese.words(block.text)
        starts = [word.start for word in block_words]
        for start, sentence in japanese.sentences(block.text):
            if CODE_MARK in sentence and len(sentence.replace(CODE_MARK, "").strip()) < 2:
                continue
            first = bisect.bisect_left(starts, start)
            last = bisect.bisect_left(starts, start + len(sentence))
            sentence_words = block_words[first:last]
            yield from _one_sentence(sentence, sentence_words, limits)
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


def _ending(words):
    """How a sentence ends: its closing auxiliaries and particles (ました, です, のだ),
    or None for one that ends on a noun or a verb's own form (no pattern to repeat)."""
    words = [word for word in words if word.pos[0] != "補助記号"]
    tail = []
    for word in reversed(words):
        if word.pos[0] not in ("助動詞", "助詞"):
            break
        tail.insert(0, word.surface)
    return "".join(tail) or None


def _one_sentence(sentence, words, limits):
    length = len(sentence)
    if length > limits["sentence_length"]:
        yield finding("writing.sentence_length", WARNING,
                    _("A sentence of %(length)d characters (more than %(limit)d): split it.")
                    % {"length": length, "limit": limits["sentence_length"]}, sentence)
    commas = sentence.count("、") + sentence.count("，")
    if commas > limits["commas"]:
        yield finding("writing.commas", WARNING,
                    _("%(count)d commas (、) in one sentence (more than %(limit)d): split it or rephrase.")
                    % {"count": commas, "limit": limits["commas"]}, sentence)
    for match in _KANJI_RUN.finditer(sentence):
        if len(match.group(0)) > limits["kanji_run"]:
            yield finding("writing.kanji_run", WARNING,
                        _("%(count)d kanji in a row (“%(run)s”): add kana or rephrase.")
                        % {"count": len(match.group(0)), "run": match.group(0)}, sentence)
            break
    particle = _doubled_particle(words)
    if particle:
        yield finding("writing.doubled_particle", WARNING,
                    _("The particle “%(particle)s” twice in one clause: rephrase one of them.")
                    % {"particle": particle}, sentence)
    for hedge in _HEDGES:
        if hedge in sentence:
            yield finding("writing.hedging", INFO,
                        _("A hedge (“%(phrase)s”): say who thinks so, or state it.") % {"phrase": hedge},
                        sentence)
            break


def _doubled_particle(words):
    """The first case or topic particle used twice between two commas, or None."""
    seen = set()
    for word in words:
        if word.surface in _CLAUSE_BREAKS or word.pos[1] in ("句点",):
            seen = set()
            continue
        if word.pos[0] == "助詞" and word.pos[1] in ("格助詞", "係助詞") and word.surface in _DOUBLED:
            if word.surface in seen:
                return word.surface
            seen.add(word.surface)
    return None
