"""Zips written byte by byte, for inputs that zipfile refuses to write: members that lie about
their size, unknown compression methods, corrupt streams, and deflate bombs built in
milliseconds (a block of zeros compressed once, then repeated)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

STORED, DEFLATED = 0, 8
_LOCAL, _CENTRAL, _END = 0x04034B50, 0x02014B50, 0x06054B50
_DOS_DATE = 0x21  # 1980-01-01


@dataclass(frozen=True)
class Member:
    """A zip entry as written: ``packed`` is what the file holds, the rest what it claims."""

    name: str
    packed: bytes
    method: int
    crc: int
    size: int  # the unpacked size it states
    flags: int = 0


def stored(name: str, content: bytes) -> Member:
    return Member(name, content, STORED, zlib.crc32(content), len(content))


def deflated(name: str, content: bytes) -> Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, packer.compress(content) + packer.flush(), DEFLATED, zlib.crc32(content),
                  len(content))


def bomb(name: str, head: bytes, block: bytes, times: int) -> Member:
    """``head`` then ``block`` ``times`` over, deflated: after a full flush the compressor starts
    afresh, so every block packs to the same bytes and only one is compressed."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    return Member(name, first + repeated * times + packer.flush(), DEFLATED, crc,
                  len(head) + len(block) * times)


def packed(members: list[Member]) -> bytes:
    """The zip of ``members``, each header saying what the member claims."""
    body, table = bytearray(), bytearray()
    for m in members:
        name = m.name.encode()
        table += struct.pack("<IHHHHHHIIIHHHHHII", _CENTRAL, 20, 20, m.flags, m.method, 0, _DOS_DATE,
                             m.crc, len(m.packed), m.size, len(name), 0, 0, 0, 0, 0, len(body)) + name
        body += struct.pack("<IHHHHHIIIHH", _LOCAL, 20, m.flags, m.method, 0, _DOS_DATE, m.crc,
                            len(m.packed), m.size, len(name), 0) + name + m.packed
    count = len(members) & 0xFFFF  # as a zip of more than 65,535 files without zip64 writes it
    end = struct.pack("<IHHHHIIH", _END, 0, 0, count, count, len(table), len(body), 0)
    return bytes(body + table + end)
