"""Re-encrypt every encrypted value with the newest key and recompute blind indexes.

Run after putting a new key first in FIELD_ENCRYPTION_KEYS (old keys after it), or
after changing FIELD_HASH_KEY. Safe to run again; each batch is one transaction.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from mustafid.core.crypto import EncryptedCharField, blind_index

BATCH = 1000


def encrypted_models():
    for model in apps.get_models():
        fields = [
            f.name for f in model._meta.fields if isinstance(f, EncryptedCharField)
        ]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "Re-encrypt identity numbers and mobiles with the newest key; rehash."

    def handle(self, *args, **options):
        with scopes_disabled():
            for model, fields in encrypted_models():
                indexes = getattr(model, "BLIND_INDEXES", {})
                done = self._rotate(model, fields, indexes)
                self.stdout.write(f"{model._meta.label}: {done} rows")

    def _rotate(self, model, fields, indexes) -> int:
        done, last_pk = 0, 0
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")[:BATCH]
                )
                if not rows:
                    return done
                for row in rows:
                    for hash_field, source in indexes.items():
                        setattr(row, hash_field, blind_index(getattr(row, source)))
                # Writing the decrypted values back encrypts them with the newest key.
                model.objects.bulk_update(rows, [*fields, *indexes])
            done += len(rows)
            last_pk = rows[-1].pk
