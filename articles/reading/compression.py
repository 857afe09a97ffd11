"""gzip made partly of pieces compressed once: an article's body is most of its page (70
of 77 KB for a long one), and compressing it again for every page made was a third of
that page's cost. A piece is kept deflated, ending on a byte boundary with no final
block (``Z_SYNC_FLUSH``); a page's gzip stream is then the text before it deflated, the
piece as kept, the text after it deflated, and a trailer over the whole (RFC 1952,
RFC 1951 §3.2.3: a stream is any run of blocks, the last one marked final).

The header carries a random file name, as Django's own compression does (BREACH: the
length of a response says nothing reliable about its content).

A piece also keeps its digest, so that a page's ETag hashes the text around it and the
digest instead of the whole body again (a tenth of a millisecond a page)."""

import gzip
import hashlib
import secrets
import struct
import zlib
from typing import NamedTuple

LEVEL = 6  # Django's GZipMiddleware's


class Piece(NamedTuple):
    raw: bytes
    deflated: bytes  # raw deflated as a piece of a longer stream
    digest: bytes  # raw's MD5


def piece(raw):
    """``raw`` (bytes) kept for the pages it will be part of."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Piece(raw, compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH),
                 hashlib.md5(raw, usedforsecurity=False).digest())


def gzip_with_pieces(content, pieces):
    """``content`` gzip-compressed, taking each of ``pieces`` as kept where its text comes
    next in ``content``; None if one is not there."""
    found = _split(content, pieces)
    if found is None:
        return None
    parts = []
    for (_text, kept), deflated in zip(found, _deflate([text for text, _kept in found]), strict=True):
        parts.append(deflated)
        if kept is not None:
            parts.append(kept.deflated)
    name = secrets.token_hex(secrets.randbelow(50) + 1).encode() + b"\0"
    header = bytes([0x1F, 0x8B, 8, gzip.FNAME, 0, 0, 0, 0, 0, 255]) + name
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return b"".join([header, *parts, trailer])


def digest_with_pieces(content, pieces):
    """An MD5 hex digest that changes when ``content`` does, hashing each of ``pieces``
    by its kept digest; None if one is not there."""
    found = _split(content, pieces)
    if found is None:
        return None
    hashed = hashlib.md5(usedforsecurity=False)
    for text, kept in found:
        hashed.update(struct.pack("<Q", len(text)) + text)
        if kept is not None:
            hashed.update(kept.digest)
    return hashed.hexdigest()


def _split(content, pieces):
    """``[(text before a piece, the piece)…, (the text after the last, None)]``, or None
    if a piece is not in ``content`` (in order)."""
    found, at = [], 0
    for kept in pieces:
        start = _find(content, kept.raw, at)
        if start < 0:
            return None
        found.append((content[at:start], kept))
        at = start + len(kept.raw)
    found.append((content[at:], None))
    return found


def _find(content, raw, at):
    # Where its first bytes are and the rest matches: a search for the whole of a long
    # needle cost a fifth of a millisecond.
    start = content.find(raw[:64], at)
    while start >= 0 and content[start:start + len(raw)] != raw:
        start = content.find(raw[:64], start + 1)
    return start


def _deflate(texts):
    """Each of ``texts`` deflated, the last one ending the stream: by one compressor (a
    new one costs as much as a few KB compressed), which a full flush between them keeps
    from pointing back across the kept piece that will come between them."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = [compressor.compress(text) + compressor.flush(zlib.Z_FULL_FLUSH) for text in texts[:-1]]
    return [*deflated, compressor.compress(texts[-1]) + compressor.flush(zlib.Z_FINISH)]
