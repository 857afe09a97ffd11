"""gzip made partly of pieces compressed once: an article's body is most of its page (70
of 77 KB for a long one), and compressing it again for every page made was a third of
that page's cost. A piece is kept deflated, ending on a byte boundary with no final
block (``Z_SYNC_FLUSH``); a page's gzip stream is then the text before it deflated, the
piece as kept, the text after it deflated, and a trailer over the whole (RFC 1952,
RFC 1951 §3.2.3: a stream is any run of blocks, the last one marked final).

The header carries a random file name, as Django's own compression does (BREACH: the
length of a response says nothing reliable about its content)."""

import gzip
import secrets
import struct
import zlib

LEVEL = 6  # Django's GZipMiddleware's


def deflated(raw):
    """``raw`` (bytes) deflated as a piece of a longer stream."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)


def gzip_with_pieces(content, pieces):
    """``content`` gzip-compressed, taking each ``(raw, deflated(raw))`` of ``pieces`` as
    it is where ``raw`` comes next in ``content``; None if one is not there."""
    parts, at = [], 0
    for raw, kept in pieces:
        start = _find(content, raw, at)
        if start < 0:
            return None
        parts += [_deflate(content[at:start], final=False), kept]
        at = start + len(raw)
    parts.append(_deflate(content[at:], final=True))
    name = secrets.token_hex(secrets.randbelow(50) + 1).encode() + b"\0"
    header = bytes([0x1F, 0x8B, 8, gzip.FNAME, 0, 0, 0, 0, 0, 255]) + name
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return b"".join([header, *parts, trailer])


def _find(content, raw, at):
    # Where its first bytes are and the rest matches: a search for the whole of a long
    # needle cost a fifth of a millisecond.
    start = content.find(raw[:64], at)
    while start >= 0 and content[start:start + len(raw)] != raw:
        start = content.find(raw[:64], start + 1)
    return start


def _deflate(data, *, final):
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)
