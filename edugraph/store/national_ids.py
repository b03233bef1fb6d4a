"""National ID numbers (居民身份证号码): kept only as a keyed hash and a masked form.

The hash (HMAC-SHA256 under a server-side key) lets the credit bank enforce one account
per person without storing the number; the masked form (``3401**********1234``) is what
a person may be shown. Without the key, a leaked database reveals no ID number.
"""

from __future__ import annotations

import hashlib
import hmac
import re

_FORMAT = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"


def normalise(number: str) -> str:
    return number.strip().upper()


def is_valid(number: str) -> bool:
    """18 characters with the GB 11643 check character; 17 digits then a digit or X."""
    if not _FORMAT.match(number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11] == number[17]


def keyed_hash(number: str, key: bytes) -> str:
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def masked(number: str) -> str:
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
