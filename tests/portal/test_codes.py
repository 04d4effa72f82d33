"""One-time codes: hashed, five minutes, few tries, rate-limited (issue 7, P-ATTEST)."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from mustafid.contact.outbox import OutboxMessage, OutboxStatus
from mustafid.portal import codes
from mustafid.portal.codes import CodeRefused, OneTimeCode, Purpose
from tests.portal.helpers import latest_code

MOBILE = "+966501234567"


def issue(org, mobile=MOBILE, purpose=Purpose.SIGN_IN, ip="10.0.0.1"):
    # English, so the refusals below can be matched by their words.
    with scope(organization=org), translation.override("en"):
        return codes.issue_code(organization=org, mobile=mobile, purpose=purpose, ip=ip)


def check(org, code, mobile=MOBILE, purpose=Purpose.SIGN_IN):
    with scope(organization=org), translation.override("en"):
        codes.check_code(organization=org, mobile=mobile, purpose=purpose, code=code)


def test_a_code_is_stored_only_as_a_hash_and_works_once(org):
    record = issue(org)
    code = latest_code(org, MOBILE)
    assert len(code) == 6 and code.isdigit()
    assert code not in record.code_hash and MOBILE not in record.mobile_hash
    check(org, code)
    with pytest.raises(CodeRefused):
        check(org, code)


def test_eastern_arabic_digits_are_accepted(org):
    issue(org)
    code = latest_code(org, MOBILE)
    check(org, code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))


def test_a_code_dies_after_five_minutes(org):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        issue(org)
    code = latest_code(org, MOBILE)
    later = start + datetime.timedelta(minutes=5, seconds=1)
    with time_machine.travel(later), pytest.raises(CodeRefused, match="expired"):
        check(org, code)


def test_wrong_answers_are_counted_and_the_code_dies_after_five(org):
    issue(org)
    code = latest_code(org, MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(CodeRefused, match=f"{left} tries left"):
            check(org, wrong)
    with pytest.raises(CodeRefused, match="Too many wrong codes"):
        check(org, wrong)
    with pytest.raises(CodeRefused, match="Too many wrong codes"):
        check(org, code)


def test_only_the_newest_code_works_and_purposes_do_not_mix(org):
    issue(org)
    first = latest_code(org, MOBILE)
    issue(org)
    second = latest_code(org, MOBILE)
    with pytest.raises(CodeRefused):
        check(org, second, purpose=Purpose.ATTEST)
    if first != second:
        with pytest.raises(CodeRefused):
            check(org, first)
    check(org, second)


def test_a_code_of_one_association_does_not_open_another(org, other_org):
    issue(org)
    with pytest.raises(CodeRefused):
        check(other_org, latest_code(org, MOBILE))


def test_codes_are_limited_per_number_and_per_address(org, settings):
    settings.PORTAL_CODES_PER_MOBILE = 2
    settings.PORTAL_CODES_PER_IP = 3
    issue(org)
    issue(org)
    with pytest.raises(CodeRefused, match="Too many codes"):
        issue(org)
    issue(org, mobile="+966501111111")
    with pytest.raises(CodeRefused, match="Too many codes"):
        issue(org, mobile="+966502222222")
    with scopes_disabled():
        assert OneTimeCode.objects.count() == 3


def test_the_code_is_sent_at_once_even_at_night_and_the_outbox_keeps_it_masked(
    org, sms_gateway, django_capture_on_commit_callbacks
):
    night = timezone.make_aware(datetime.datetime(2026, 12, 3, 23, 30))
    with (
        time_machine.travel(night, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        issue(org)
    sent = sms_gateway.last.body
    assert sent["recipients"] == ["966501234567"] or "501234567" in str(sent)
    code = next(word for word in sent["body"].split() if word.isdigit())
    with scopes_disabled():
        message = OutboxMessage.objects.get(event="one_time_code")
    assert message.status == OutboxStatus.SENT
    assert code not in message.body and code not in str(message.context)
    assert "••••••" in message.body


def test_the_code_message_cannot_be_reworded_without_the_code(org):
    from django.core.exceptions import ValidationError

    from mustafid.contact.wording.checks import check_template

    with pytest.raises(ValidationError, match="code"):
        check_template(
            event="one_time_code",
            method="sms",
            language="ar",
            subject="",
            body="مرحبًا بك في {{ association_name }}",
        )
    check_template(
        event="one_time_code",
        method="sms",
        language="ar",
        subject="",
        body="رمزك {{ code }}",
    )
