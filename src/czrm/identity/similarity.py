"""String similarity in pure Python, agreeing with DuckDB's functions of the same name.

The batch model is evaluated by DuckDB and the real-time matcher by these
functions; they must put every pair in the same comparison level.
"""

from __future__ import annotations


def jaro(a: str, b: str) -> float:
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    a_matched = [False] * la
    b_matched = [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(lb, i + window + 1)):
            if not b_matched[j] and b[j] == ch:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    transpositions = 0
    j = 0
    for i in range(la):
        if a_matched[i]:
            while not b_matched[j]:
                j += 1
            if a[i] != b[j]:
                transpositions += 1
            j += 1
    t = transpositions // 2
    return (matches / la + matches / lb + (matches - t) / matches) / 3


def jaro_winkler(a: str, b: str, prefix_weight: float = 0.1) -> float:
    """Jaro similarity boosted by a shared prefix of up to four characters (above 0.7)."""
    score = jaro(a, b)
    if score <= 0.7:
        return score
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return score + prefix * prefix_weight * (1 - score)


def levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def transposed(a: str, b: str) -> bool:
    """Two neighbouring characters keyed in the wrong order (``1234`` / ``1324``)."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


def damerau_within_one(a: str, b: str) -> bool:
    """DuckDB's ``damerau_levenshtein(a, b) <= 1``: one insertion, deletion,
    substitution or transposition of neighbours at most."""
    return levenshtein(a, b) <= 1 or transposed(a, b)


def date_transposed(a: str, b: str) -> bool:
    """Two ISO dates of one year whose digits, as keyed, are a transposition apart
    (``…-07-12`` / ``…-07-21``, and across the month and day: ``…-10-24`` / ``…-12-04``).

    A transposed year (1948 / 1984) is left out: it puts a person a
    generation away, where a parent of the same name and birthday lives.
    """
    return a[:4] == b[:4] and damerau_within_one(a.replace("-", ""), b.replace("-", ""))


def date_slip(a: str, b: str) -> bool:
    """One keying slip between two ISO dates: a digit, a same-year transposition,
    or day and month the other way round."""
    return levenshtein(a, b) <= 1 or date_transposed(a, b) or day_month_swapped(a, b)


def day_month_swapped(a: str, b: str) -> bool:
    """Two ISO dates of one year whose day and month were entered the other way round."""
    return len(a) == len(b) == 10 and a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]
