"""Saudi national id (citizens) and iqama (residents) numbers."""

import random

from mustafid.core.arabic import to_western_digits

CITIZEN, RESIDENT = "1", "2"


def normalize_id(raw: str) -> str:
    return to_western_digits(raw or "").replace(" ", "").strip()


def luhn_ok(digits: str) -> bool:
    """The Luhn check over all ten digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def is_valid_id(number: str) -> bool:
    """Ten digits, first 1 (national id) or 2 (iqama), Luhn check digit last."""
    number = normalize_id(number)
    return (
        len(number) == 10
        and number.isdigit()
        and number[0] in (CITIZEN, RESIDENT)
        and luhn_ok(number)
    )


def make_id(kind: str, rng: random.Random) -> str:
    """A valid number of the given kind, for demo data and tests."""
    body = kind + "".join(rng.choice("0123456789") for _ in range(8))
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")
