"""Japanese text as the writing checks and search read it: sentences, and words with
their normalised forms from SudachiPy and its core dictionary (サーバ and サーバー, 引越し
and 引っ越し meet in one normalised form).

The dictionary is loaded once per process (about 70 MB, memory-mapped) and a
tokenizer is kept per thread (they are not shared between threads). Sudachi refuses
input above about 49 KB: text is fed sentence by sentence in chunks well below it.
"""

import bisect
import threading
from dataclasses import dataclass
from functools import lru_cache

# Sudachi's limit is 49,149 bytes of UTF-8 per call; a chunk ends at a sentence well before it.
MAX_CHUNK_BYTES = 40_000

_local = threading.local()
_dictionary = None
_dictionary_lock = threading.Lock()


def _tokenizer():
    global _dictionary
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary, SplitMode

        with _dictionary_lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
        # Mode C: the longest units (国家公務員, not 国家/公務/員): a term is one word.
        tokenizer = _local.tokenizer = _dictionary.tokenizer(mode=SplitMode.C)
    return tokenizer


@dataclass(frozen=True, slots=True)
class Word:
    surface: str
    normalized: str  # Sudachi's normalised form: サーバ → サーバー
    dictionary: str  # the form a dictionary lists it under: 出来 (in 出来ます) → 出来る
    reading: str  # in katakana: 引越し → ヒッコシ
    pos: tuple  # part of speech: ("名詞", "普通名詞", …)
    start: int  # where it is in the text analysed, in characters
    end: int


_ENDS = frozenset("。！？!?")
_OPENING = frozenset("「『（(【［[")
_CLOSING = frozenset("」』）)】］]")


def sentences(text):
    """``[(start, sentence)]`` of ``text``: each ends at 。！？!? outside brackets (a
    quotation 「本当？」 stays in its sentence), with the closing brackets that follow, or
    at a full stop followed by a space (English: "Fixed a crash. Thanks to…")."""
    return _sentences(text)


def sentence_at(text, position):
    """The sentence of ``text`` that holds the character at ``position``."""
    found = _sentences(text)
    index = bisect.bisect_right(_sentence_starts(text), position) - 1
    return found[max(index, 0)][1] if found else text


@lru_cache(maxsize=4096)
def _sentence_starts(text):
    return [start for start, _sentence in _sentences(text)]


@lru_cache(maxsize=4096)
def _sentences(text):
    found, start, depth, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif depth == 0 and (char in _ENDS or (char == "." and text[index + 1:index + 2].isspace())):
            while index + 1 < len(text) and (text[index + 1] in _ENDS or text[index + 1] in _CLOSING):
                index += 1
            found.append((start, text[start:index + 1]))
            start = index + 1
        index += 1
    found.append((start, text[start:]))
    result = []
    for position, sentence in found:
        stripped = sentence.strip()
        if stripped:
            result.append((position + sentence.index(stripped[0]), stripped))
    return tuple(result)


def words(text):
    """The words of ``text`` (a paragraph, a heading), in order, as a tuple of ``Word``."""
    return _words(text)


@lru_cache(maxsize=4096)
def _words(text):
    # Remembered per paragraph: a live preview analyses the same paragraphs again and
    # again while one of them is being typed.
    result = []
    for offset, chunk in _chunks(text):
        for morpheme in _tokenizer().tokenize(chunk):
            result.append(Word(
                surface=morpheme.surface(), normalized=morpheme.normalized_form(),
                dictionary=morpheme.dictionary_form(), reading=morpheme.reading_form(),
                pos=tuple(morpheme.part_of_speech()),
                start=offset + morpheme.begin(), end=offset + morpheme.end(),
            ))
    return tuple(result)


def _chunks(text):
    """``(offset, piece)`` of ``text`` with each piece below MAX_CHUNK_BYTES, cut between
    sentences (and a sentence longer than that, by characters)."""
    if len(text.encode()) <= MAX_CHUNK_BYTES:
        yield 0, text
        return
    step = MAX_CHUNK_BYTES // 4  # characters: one is at most 4 bytes of UTF-8
    pieces = []
    for position, sentence in sentences(text):
        end = position + len(sentence)
        pieces += [(index, min(index + step, end)) for index in range(position, end, step)]
    start, size = None, 0
    for begin, end in pieces:
        length = len(text[begin:end].encode())
        if start is not None and size + length > MAX_CHUNK_BYTES:
            yield start, text[start:begin]
            start, size = None, 0
        if start is None:
            start = begin
        size += length
    if start is not None:
        yield start, text[start:pieces[-1][1]]


@lru_cache(maxsize=4096)
def reading_of(text):
    """How ``text`` (a word's dictionary form) is read, in katakana, without long vowel
    marks: サーバー and サーバ, 見る and みる read alike; する and す, 言う and 言える do not."""
    return "".join(word.reading for word in words(text)).replace("ー", "")


def is_content_word(word):
    """Nouns, verbs, adjectives and adverbs: the words whose spelling a house style sets
    (not particles, auxiliaries, symbols or numbers)."""
    major, minor = word.pos[0], word.pos[1]
    return major in ("名詞", "動詞", "形容詞", "形状詞", "副詞") and minor != "数詞"
