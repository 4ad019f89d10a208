#!/usr/bin/env python3
"""Draws the Teams app icons with nothing but the standard library (zlib PNG encoding).

color.png   192x192, full colour: a white open book on the accent colour.
outline.png 32x32, white on a transparent background (Teams tints it).
Run once from anywhere: python3 deploy/teams/make_icons.py (the PNGs are committed).
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ACCENT = (0x2E, 0x5A, 0x88, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def png(path, size, pixel):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def in_book(x, y, size):
    """An open book: two pages with a spine gap, a few text lines cut out."""
    u, v = x / size, y / size
    if not (0.18 <= u <= 0.82 and 0.28 <= v <= 0.74):
        return False
    if abs(u - 0.5) < 0.025:  # the spine
        return False
    sag = 0.04 * (1 - abs(u - 0.5) * 2)  # pages dip towards the spine
    if v < 0.28 + sag:
        return False
    for line in (0.42, 0.52, 0.62):  # text lines
        if abs(v - line - sag) < 0.012 and (0.24 < u < 0.45 or 0.55 < u < 0.76):
            return False
    return True


def color(x, y, size):
    return WHITE if in_book(x, y, size) else ACCENT


def outline(x, y, size):
    return WHITE if in_book(x, y, size) else CLEAR


if __name__ == "__main__":
    png(os.path.join(HERE, "color.png"), 192, color)
    png(os.path.join(HERE, "outline.png"), 32, outline)
    print("wrote color.png (192x192) and outline.png (32x32)")
