"""Spelling: the house style (the admin's table, ``Term``) and spellings of one word
that vary within an article (表記ゆれ), found by Sudachi's dictionary and normalised
forms (articles/rendering/japanese.py)."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.checks.findings import WARNING
from articles.checks.prose import CODE_MARK, LATIN, clip, finding, sentence_at
from articles.rendering import japanese


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


def _auxiliary(word, previous):
    """Whether ``word`` is a verb or adjective used as an auxiliary after 〜て/〜で
    (考えてみる, 増えていく, 書いておく, 読んでいただく): Sudachi's 非自立可能 there."""
    return (word.pos[1] == "非自立可能" and previous is not None and previous.surface in ("て", "で")
            and previous.pos[0] == "助詞")


def check_spelling(blocks, terms):
    by_normalized = {term.normalized: term for term in terms if term.normalized}
    by_variant = {variant: term for term in terms for variant in term.variant_dictionaries}
    house = defaultdict(list)  # (surface, fixed, term) → sentences
    forms = defaultdict(lambda: defaultdict(list))  # normalised → dictionary form → sentences
    for block in blocks:
        previous = None
        for word in japanese.words(block.text):
            auxiliary = _auxiliary(word, previous)
            previous = word
            if (not japanese.is_content_word(word) or CODE_MARK in word.surface
                    or block.is_quoted(word.start, word.end)):
                continue
            latin = bool(LATIN.search(word.surface))
            term = by_variant.get(word.dictionary)
            if term is None and not latin:
                # By the dictionary's normalised form too, but not for a word in Latin
                # letters (Web is not a misspelling of ウェブ).
                term = by_normalized.get(word.normalized)
            if term is not None:
                if word.dictionary != term.preferred_dictionary and word.surface != term.preferred:
                    fixed = _fixed(word.surface, word.dictionary, term.preferred_dictionary) or term.preferred
                    house[(word.surface, fixed, term)].append(sentence_at(block.text, word.start))
                continue
            if latin or auxiliary:
                # Sudachi gives English words katakana forms (File, ファイル), and 〜てみる
                # is not the verb 見る: kana there is every house style's rule.
                continue
            forms[word.normalized][word.dictionary].append(sentence_at(block.text, word.start))
    for (surface, fixed, term), sentences in house.items():
        message = ngettext(
            "“%(variant)s” is not the house style: write “%(preferred)s”.",
            "“%(variant)s” (%(count)d times) is not the house style: write “%(preferred)s”.",
            len(sentences),
        ) % {"variant": surface, "preferred": term.preferred, "count": len(sentences)}
        if term.note:
            message += " " + term.note
        yield finding("writing.house_style", WARNING, message, sentences[0], (surface, fixed))
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
            _("“%(form)s” in “%(sentence)s”") % {"form": form, "sentence": clip(sentence)}
            for form, sentences in ranked[1:] for sentence in dict.fromkeys(sentences[:2])
        )
        yield finding("writing.variants", WARNING,
                       _("One word written in different ways: %(forms)s. Choose one.") % {"forms": listed},
                       ranked[-1][1][0], where=where)
