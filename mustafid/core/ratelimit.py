"""Counting requests per key in a sliding window, in the database.

The counts live in a table, not in process memory, so every app server and
worker sees the same limit (DESIGN.md §3: nothing kept in process memory).
Keys are hashed: a mobile number or an address never sits here in clear.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class RateHit(models.Model):
    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


def _digest(key: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256
    ).hexdigest()


def allow(key: str, *, limit: int, window: datetime.timedelta) -> bool:
    """Count one hit for `key`; False (and nothing counted) once `limit` is reached."""
    digest = _digest(key)
    now = timezone.now()
    with transaction.atomic():
        used = RateHit.objects.filter(key=digest, created_at__gt=now - window).count()
        if used >= limit:
            return False
        RateHit.objects.create(key=digest, created_at=now)
    return True


def prune(older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Drop hits no window looks at any more (run by the scheduler)."""
    deleted, _by_model = RateHit.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
