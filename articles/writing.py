"""Japanese writing checks: spelling variants (表記ゆれ), the desk's house style, and
readability rules modelled on textlint's preset-ja-technical-writing.

Each finding names the sentence it is about (the desk highlights it) and, where the fix
is mechanical (a variant to the house form, full-width letters to half-width), the
replacement (``Finding.fix``), which ``apply_fix`` makes in the Markdown. Code, addresses
and quotations are not prose: they are never read here.

Thresholds are settings (``EDITORIAL_WRITING_RULES``), defaults as textlint's.

The analysis runs in a helper process bounded by the CPU time it spends
(``EDITORIAL_WRITING_CHECK_SECONDS``, articles/bounded.py), as rendering does: a very
long text gets a finding that says its writing was not checked, never a stuck request.
"""

import bisect
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import bounded, japanese
from .findings import INFO, WARNING, Finding

RULE_DEFAULTS = {
    "sentence_length": 100,  # characters in a sentence, at most
    "commas": 3,  # 読点 in a sentence, at most
    "kanji_run": 6,  # kanji in a row, at most
    "same_ending": 3,  # sentences in a row with one ending, fewer than this
}

# Stand-in for inline code inside a sentence: no rule reads it as a word or a letter.
CODE_MARK = "\ufffc"
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u30ff\u4e00-\u9fff（）「」、。]+")


def rules():
    return {**RULE_DEFAULTS, **getattr(settings, "EDITORIAL_WRITING_RULES", {})}


# ---------------------------------------------------------------------------------
# Prose: what readers read as sentences


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str


class _ProseBlocks(HTMLParser):
    """Headings, paragraphs and list items, without code blocks, quotations, tables or
    figures; inline code becomes CODE_MARK."""

    _SKIPPED = frozenset({"pre", "blockquote", "table", "figure", "script", "style"})
    _KINDS = {"p": "paragraph", "li": "item", "dt": "item", "dd": "item",
              **{f"h{level}": "heading" for level in range(1, 7)}}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.open, self.skipped, self.in_code = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIPPED:
            self.skipped += 1
        elif tag == "code":
            self.in_code += 1
            if self.open and not self.skipped:
                self.open[-1][1].append(CODE_MARK)
        elif tag in self._KINDS:
            self._close()
            self.open.append((self._KINDS[tag], []))

    def handle_endtag(self, tag):
        if tag in self._SKIPPED:
            self.skipped = max(self.skipped - 1, 0)
        elif tag == "code":
            self.in_code = max(self.in_code - 1, 0)
        elif tag in self._KINDS:
            self._close()

    def _close(self):
        if self.open:
            kind, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.blocks.append(Block(kind, _URL.sub(" ", text)))

    def handle_data(self, data):
        if self.open and not self.skipped and not self.in_code:
            self.open[-1][1].append(data)

    def close(self):
        super().close()
        while self.open:
            self._close()


def prose_blocks(html):
    parser = _ProseBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


# ---------------------------------------------------------------------------------
# Findings


def _finding(code, level, message, sentence, fix=(), where=""):
    return Finding(code, level, message, sentence=sentence, fix=fix, where=where)


def check(title, excerpt, html, terms):
    """The writing findings of an article: ``terms`` is the house style (``Term`` list).
    Analysed in a helper within ``EDITORIAL_WRITING_CHECK_SECONDS`` of CPU time."""
    try:
        found = _runner.run(check_here, translation.get_language(), title, excerpt, html, terms, rules(),
                            cpu_seconds=settings.EDITORIAL_WRITING_CHECK_SECONDS)
    except bounded.Timeout:
        return [_finding("writing.not_checked", INFO, _(
            "The writing of this text was not checked: it is too long to check in %(seconds)s s of processing. "
            "The other checks ran.") % {"seconds": settings.EDITORIAL_WRITING_CHECK_SECONDS}, "")]
    except (bounded.Busy, bounded.HelperDied):
        return [_finding("writing.not_checked", INFO, _(
            "The writing of this text was not checked this time: the server is busy. The other checks ran."), "")]
    return found


def check_here(language, title, excerpt, html, terms, limits):
    """The analysis itself, in this process and unbounded (the helper runs it)."""
    with translation.override(language):
        blocks = prose_blocks(html)
        head = [Block("heading", title)] + ([Block("paragraph", excerpt)] if excerpt else [])
        seen, found = set(), []
        for issue in (*_spelling(head + blocks, terms), *_characters(head + blocks), *_sentences(blocks, limits)):
            # A passage said twice (the duplicate checks report that) is one finding, not two.
            if (issue.code, issue.sentence, issue.message) not in seen:
                seen.add((issue.code, issue.sentence, issue.message))
                found.append(issue)
        return found


def warm_up():
    """Django's apps (for translations) and the dictionary, before the helper takes work."""
    import django

    django.setup()
    check_here(settings.LANGUAGE_CODE, "見出し", "抜粋です。", "<p>サーバーの設定を確認する。サーバの話です。</p>", [],
               rules())


_runner = bounded.BoundedRunner(preload=[__name__], warm_up=warm_up, size=1)


# ---------------------------------------------------------------------------------
# Spelling: the house style and variants within the article


@dataclass(frozen=True)
class Term:
    """A house-style entry read for the analyser: the preferred form and how to know
    the others (their dictionary forms, the normalised form they share)."""

    preferred: str
    preferred_dictionary: str
    normalized: str  # "" when the preferred form is not one word to the analyser
    variant_dictionaries: frozenset
    note: str

    @classmethod
    def of(cls, preferred, variants, note=""):
        words = [word for word in japanese.words(preferred) if word.pos[0] != "補助記号"]
        one_word = len(words) == 1
        dictionaries = set()
        for variant in variants:
            found = japanese.words(variant)
            dictionaries.add(found[0].dictionary if len(found) == 1 else variant)
        return cls(
            preferred=preferred,
            preferred_dictionary=words[0].dictionary if one_word else preferred,
            normalized=words[0].normalized if one_word else "",
            variant_dictionaries=frozenset(dictionaries - {preferred}),
            note=note,
        )


def house_terms():
    """The house style as the checks read it, from the admin's table."""
    from .models import HouseStyleTerm

    return [Term.of(term.preferred, term.variant_list, term.note) for term in HouseStyleTerm.objects.all()]


def _fixed(surface, variant_dictionary, preferred_dictionary):
    """``surface`` (a variant, perhaps inflected: 出来 of 出来ます) in the preferred
    spelling (でき): the stems before the shared ending swap."""
    shared = 0
    while (shared < min(len(variant_dictionary), len(preferred_dictionary))
           and variant_dictionary[-1 - shared] == preferred_dictionary[-1 - shared]):
        shared += 1
    variant_stem = variant_dictionary[:len(variant_dictionary) - shared]
    preferred_stem = preferred_dictionary[:len(preferred_dictionary) - shared]
    if variant_stem and surface.startswith(variant_stem):
        return preferred_stem + surface[len(variant_stem):]
    return None


def _clip(sentence, length=40):
    return sentence if len(sentence) <= length else sentence[:length - 1] + "…"


def _sentence_at(block_text, position):
    return japanese.sentence_at(block_text, position)


def _spelling(blocks, terms):
    by_normalized = {term.normalized: term for term in terms if term.normalized}
    by_variant = {variant: term for term in terms for variant in term.variant_dictionaries}
    house = defaultdict(list)  # (surface, fixed, term) → sentences
    forms = defaultdict(lambda: defaultdict(list))  # normalised → dictionary form → sentences
    for block in blocks:
        for word in japanese.words(block.text):
            if not japanese.is_content_word(word) or CODE_MARK in word.surface:
                continue
            term = by_variant.get(word.dictionary)
            if term is None and not _LATIN.match(word.surface):
                # By the dictionary's normalised form too, but not for a word in Latin
                # letters (Web is not a misspelling of ウェブ).
                term = by_normalized.get(word.normalized)
            if term is not None:
                if word.dictionary != term.preferred_dictionary and word.surface != term.preferred:
                    fixed = _fixed(word.surface, word.dictionary, term.preferred_dictionary) or term.preferred
                    house[(word.surface, fixed, term)].append(_sentence_at(block.text, word.start))
                continue
            forms[word.normalized][word.dictionary].append(_sentence_at(block.text, word.start))
    for (surface, fixed, term), sentences in house.items():
        message = ngettext(
            "“%(variant)s” is not the house style: write “%(preferred)s”.",
            "“%(variant)s” (%(count)d times) is not the house style: write “%(preferred)s”.",
            len(sentences),
        ) % {"variant": surface, "preferred": term.preferred, "count": len(sentences)}
        if term.note:
            message += " " + term.note
        yield _finding("writing.house_style", WARNING, message, sentences[0], (surface, fixed))
    for spellings in forms.values():
        # One word written two ways reads the same; a normalised form shared by two
        # words (する and す, 言う and 言える) does not make them one.
        by_reading = defaultdict(dict)
        for dictionary, sentences in spellings.items():
            key = unicodedata.normalize("NFKC", dictionary).casefold()
            by_reading[japanese.reading_of(dictionary)].setdefault(key, (dictionary, sentences))
        distinct = max(by_reading.values(), key=len)
        if len(distinct) < 2:
            continue
        ranked = sorted(distinct.values(), key=lambda item: -len(item[1]))
        listed = "、".join(
            _("“%(form)s” (%(count)d)") % {"form": form, "count": len(sentences)} for form, sentences in ranked
        )
        # Where the rarer forms are: the sentences that would change.
        where = " / ".join(
            _("“%(form)s” in “%(sentence)s”") % {"form": form, "sentence": _clip(sentence)}
            for form, sentences in ranked[1:] for sentence in dict.fromkeys(sentences[:2])
        )
        yield _finding("writing.variants", WARNING,
                       _("One word written in different ways: %(forms)s. Choose one.") % {"forms": listed},
                       ranked[-1][1][0], where=where)


# ---------------------------------------------------------------------------------
# Characters: widths, punctuation, exclamations

_HALFWIDTH_KANA = re.compile(r"[\uff66-\uff9f]+")
_FULLWIDTH_ALNUM = re.compile(r"[Ａ-Ｚａ-ｚ０-９]+")
_JAPANESE_STOPS = re.compile(r"[、。]")
_WESTERN_STOPS = re.compile(r"[，．]")
_EXCLAMATION = re.compile(r"[！？!?]")


def _characters(blocks):
    widths = defaultdict(list)
    patterns = ((_HALFWIDTH_KANA, "writing.halfwidth_kana"), (_FULLWIDTH_ALNUM, "writing.fullwidth_alnum"))
    for block in blocks:
        for pattern, code in patterns:
            for match in pattern.finditer(block.text):
                widths[(code, match.group(0))].append(_sentence_at(block.text, match.start()))
    for (code, found), sentences in widths.items():
        fixed = unicodedata.normalize("NFKC", found)
        message = (_("Half-width katakana “%(found)s”: write “%(fixed)s”.") if code == "writing.halfwidth_kana"
                   else _("Full-width letters or digits “%(found)s”: write “%(fixed)s”."))
        yield _finding(code, WARNING, message % {"found": found, "fixed": fixed}, sentences[0], (found, fixed))

    text_blocks = [block for block in blocks if block.kind != "heading"]
    japanese_stops = [b.text for b in text_blocks if _JAPANESE_STOPS.search(b.text)]
    western = [b.text for b in text_blocks if _WESTERN_STOPS.search(b.text)]
    if japanese_stops and western:
        sample = western[0] if len(western) <= len(japanese_stops) else japanese_stops[0]
        match = (_WESTERN_STOPS if sample in western else _JAPANESE_STOPS).search(sample)
        yield _finding("writing.mixed_punctuation", WARNING,
                    _("Both 、。 and ，． are used as punctuation: use one style throughout."),
                    _sentence_at(sample, match.start()))

    for block in blocks[1:]:  # after the title
        for match in _EXCLAMATION.finditer(block.text):
            yield _finding("writing.exclamation", WARNING,
                        _("“%(mark)s” in the text: news prose states, it does not exclaim or ask.")
                        % {"mark": match.group(0)}, _sentence_at(block.text, match.start()))
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


def _sentences(blocks, limits):
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
        yield _finding(
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
            yield _finding("writing.same_ending", WARNING,
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
        yield _finding("writing.sentence_length", WARNING,
                    _("A sentence of %(length)d characters (more than %(limit)d): split it.")
                    % {"length": length, "limit": limits["sentence_length"]}, sentence)
    commas = sentence.count("、") + sentence.count("，")
    if commas > limits["commas"]:
        yield _finding("writing.commas", WARNING,
                    _("%(count)d commas (、) in one sentence (more than %(limit)d): split it or rephrase.")
                    % {"count": commas, "limit": limits["commas"]}, sentence)
    for match in _KANJI_RUN.finditer(sentence):
        if len(match.group(0)) > limits["kanji_run"]:
            yield _finding("writing.kanji_run", WARNING,
                        _("%(count)d kanji in a row (“%(run)s”): add kana or rephrase.")
                        % {"count": len(match.group(0)), "run": match.group(0)}, sentence)
            break
    particle = _doubled_particle(words)
    if particle:
        yield _finding("writing.doubled_particle", WARNING,
                    _("The particle “%(particle)s” twice in one clause: rephrase one of them.")
                    % {"particle": particle}, sentence)
    for hedge in _HEDGES:
        if hedge in sentence:
            yield _finding("writing.hedging", INFO,
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


# ---------------------------------------------------------------------------------
# Mechanical fixes, made in the Markdown

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_PROTECTED = re.compile(r"`+[^`\n]*`+|\]\([^)\s]*\)|<[^>\n]*>|(?:https?://|www\.)\S+")


_KATAKANA = "ァ-ヺー"


def _whole(old):
    """``old`` as a whole word where katakana would run on (サーバ, not the サーバ of
    サーバー)."""
    before = f"(?<![{_KATAKANA}])" if re.match(f"[{_KATAKANA}]", old) else ""
    after = f"(?![{_KATAKANA}])" if re.search(f"[{_KATAKANA}]$", old) else ""
    return re.compile(before + re.escape(old) + after)


def apply_fix(body, old, new):
    """``body`` with ``old`` replaced by ``new`` in its prose, not in code (fenced blocks
    and `spans`), link targets, HTML tags or addresses. Returns (text, replacements)."""
    lines, fence, count = [], None, 0
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(2)[0] == fence[0] and len(opening.group(2)) >= len(fence):
                fence = None
            lines.append(line)
            continue
        if opening:
            fence = opening.group(2)
            lines.append(line)
            continue
        if line.startswith(("    ", "\t")) or line.lstrip().startswith(">"):
            lines.append(line)  # indented code, a quotation
            continue
        pieces, last = [], 0
        for match in _PROTECTED.finditer(line):
            pieces.append((line[last:match.start()], True))
            pieces.append((match.group(0), False))
            last = match.end()
        pieces.append((line[last:], True))
        fixed = []
        for piece, prose in pieces:
            if prose:
                piece, replaced = _whole(old).subn(lambda _match: new, piece)
                count += replaced
            fixed.append(piece)
        lines.append("".join(fixed))
    return "\n".join(lines), count
