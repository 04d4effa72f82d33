"""Mobiles are stored as E.164 whatever way they are written (P-COMPLETE)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from mustafid.core.phones import normalize_mobile, parsed_mobile

EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _outcome(convert, text):
    try:
        return convert(text)
    except ValidationError as error:
        return error.messages


@pytest.mark.parametrize(
    "written",
    ["0551234567", "٠٥٥١٢٣٤٥٦٧", "+966 55 123 4567", "00966551234567", "551234567"],
)
def test_the_ways_people_write_a_saudi_mobile_give_one_number(written):
    assert normalize_mobile(written) == "+966551234567"


@pytest.mark.parametrize("written", ["0112345678", "123", "05512345678", "phone"])
def test_a_landline_or_a_wrong_length_is_refused(written):
    with pytest.raises(ValidationError):
        normalize_mobile(written)


@settings(max_examples=500, deadline=None, database=None)
@given(
    prefix=st.sampled_from(["05", "5", "+9665", "009665", "9665", "+966 5", "٠٥"]),
    digits=st.text(alphabet="0123456789", min_size=7, max_size=9),
    eastern=st.booleans(),
)
def test_the_quick_path_for_saudi_mobiles_agrees_with_the_parser(
    prefix, digits, eastern
):
    """Numbers written 05… or +9665… skip phonenumbers' parser: each must get
    the answer (number or message) the parser path gives."""
    written = prefix + digits
    if eastern:
        written = written.translate(EASTERN)
    tidied = "".join(
        ch
        for ch in written.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        if ch.isdigit() or ch == "+"
    )
    if tidied.startswith("00"):
        tidied = "+" + tidied[2:]
    if tidied.startswith("5") and len(tidied) == 9:
        tidied = "0" + tidied
    assert _outcome(normalize_mobile, written) == _outcome(parsed_mobile, tidied)
