"""Time-ordered UUIDs (version 7, RFC 9562) for rows made by the hundred thousand."""

from __future__ import annotations

import os
import time
import uuid

_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_RANDOM_B = (1 << 62) - 1


def uuid7s(count: int, *, now_ms: int | None = None) -> list[uuid.UUID]:
    """``count`` version-7 UUIDs, each greater than the one before.

    48 bits of Unix time in milliseconds lead, then a 12-bit sequence and 62
    random bits. Ids made together sort together: a batch's rows append to the
    primary key's last pages (a random UUID lands each on a random page of a
    large index) and rows written in id order visit the index in order. A batch
    of more than 4,096 takes the next milliseconds, as RFC 9562 allows.
    """
    start = int(time.time() * 1000) if now_ms is None else now_ms
    noise = os.urandom(8 * count)
    ids = []
    for i in range(count):
        ms, sequence = start + (i >> 12), i & 0xFFF
        random_b = int.from_bytes(noise[8 * i : 8 * i + 8], "big") & _RANDOM_B
        ids.append(uuid.UUID(int=(ms << 80) | _VERSION_7 | (sequence << 64) | _VARIANT | random_b))
    return ids
