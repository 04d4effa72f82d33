"""National id and iqama numbers: ten digits, 1 or 2 first, Luhn check (P-COMPLETE)."""

import random

import pytest

from mustafid.core.saudi_ids import is_valid_id, make_id


@pytest.mark.parametrize("number", ["1000000008", "2000000006", "١٠٠٠٠٠٠٠٠٨"])
def test_valid_numbers_pass(number):
    assert is_valid_id(number)


@pytest.mark.parametrize(
    "number",
    ["1000000007", "3000000004", "100000000", "10000000080", "10000000x8", ""],
)
def test_invalid_numbers_fail(number):
    assert not is_valid_id(number)


@pytest.mark.parametrize("kind", ["1", "2"])
def test_generated_numbers_are_valid_and_of_their_kind(kind):
    rng = random.Random(7)
    numbers = [make_id(kind, rng) for _ in range(200)]
    assert all(is_valid_id(n) and n[0] == kind for n in numbers)
