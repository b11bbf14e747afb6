"""Spotting NHS numbers: 10 digits whose last is the modulus-11 check digit of the first nine."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def is_nhs_number(value: str) -> bool:
    """True when ``value`` (spaces and hyphens ignored, as in "943 476 5919") is a valid NHS number."""
    if not 10 <= len(value) <= 14:  # fast path: almost every cell is rejected here
        return False
    digits = _SEPARATORS.sub("", value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])
