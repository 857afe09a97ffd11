"""Image files for tests, made on the spot."""

import io
import struct
import zlib

from PIL import Image


def photo(width=1600, height=1200, *, gps=False, orientation=None, xmp=False, fmt="JPEG", color=(30, 120, 200)):
    """A picture with some detail (a gradient), and the metadata a phone would add."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image.paste(color, (0, 0, width // 3, height // 3))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}
    extra = {"exif": exif} if len(exif) else {}
    if xmp:
        extra["xmp"] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description City="Chiyoda"/></rdf:RDF></x:xmpmeta>'
    buffer = io.BytesIO()
    image.save(buffer, fmt, **extra)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side=20_000):
    """A PNG whose header claims side × side pixels, in a few kilobytes."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * (side // 8 + 1) * 64, 9)  # the first rows; a decoder would want the rest
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")
