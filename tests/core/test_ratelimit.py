"""The database-backed rate limit that the portal's codes and forms share."""

import datetime

import time_machine
from django.utils import timezone

from mustafid.core import ratelimit
from mustafid.core.ratelimit import RateHit

WINDOW = datetime.timedelta(minutes=10)


def test_the_limit_refuses_the_hit_past_it_and_counts_nothing(db):
    assert [ratelimit.allow("otp:0501", limit=3, window=WINDOW) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert RateHit.objects.count() == 3


def test_keys_are_counted_apart_and_stored_hashed(db):
    assert ratelimit.allow("ip:10.0.0.1", limit=1, window=WINDOW)
    assert ratelimit.allow("ip:10.0.0.2", limit=1, window=WINDOW)
    assert not RateHit.objects.filter(key__contains="10.0.0").exists()


def test_the_window_slides_and_old_hits_are_pruned(db):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert ratelimit.allow("k", limit=1, window=WINDOW)
        assert not ratelimit.allow("k", limit=1, window=WINDOW)
    with time_machine.travel(start + WINDOW + datetime.timedelta(seconds=1)):
        assert ratelimit.allow("k", limit=1, window=WINDOW)
    with time_machine.travel(start + datetime.timedelta(days=2)):
        assert ratelimit.prune() == 2
    assert not RateHit.objects.exists()
