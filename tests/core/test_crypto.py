"""Encryption at rest can be rotated without losing data (P-PRIVACY)."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django_scopes import scope

from mustafid.core.crypto import decrypt
from mustafid.registry.models import Beneficiary
from tests.factories import BeneficiaryFactory


def stored(pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_number, identity_hash FROM registry_beneficiary "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_rotating_keys_re_encrypts_and_rehashes(org, settings):
    with scope(organization=org):
        person = BeneficiaryFactory(organization=org, identity_number="1000000008")
    old_token, old_hash = stored(person.pk)

    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    settings.FIELD_HASH_KEY = "a-new-hash-key"
    call_command("rotate_keys", stdout=io.StringIO())

    new_token, new_hash = stored(person.pk)
    assert new_token != old_token and new_hash != old_hash
    assert Fernet(new_key.encode()).decrypt(new_token.encode()) == b"1000000008"
    # The old key can now be retired: the newest alone reads every row.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypt(new_token) == "1000000008"
    with scope(organization=org):
        assert Beneficiary.objects.search("1000000008").get() == person


def test_generate_keys_prints_usable_keys(capsys):
    call_command("generate_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    Fernet(lines["FIELD_ENCRYPTION_KEYS"].encode())
    assert len(lines["SECRET_KEY"]) >= 50
