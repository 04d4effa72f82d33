from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = (
        "Print new random keys for SECRET_KEY, FIELD_ENCRYPTION_KEYS, FIELD_HASH_KEY."
    )

    def handle(self, *args, **options):
        chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        self.stdout.write(f"SECRET_KEY={get_random_string(64, chars)}")
        self.stdout.write(f"FIELD_ENCRYPTION_KEYS={Fernet.generate_key().decode()}")
        self.stdout.write(f"FIELD_HASH_KEY={get_random_string(64, chars)}")
