"""Settings come from the environment, with safe defaults."""

import os
import subprocess
import sys

import pytest


def import_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import mustafid.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_the_app_refuses_to_start_without_a_secret_key(tmp_path):
    result = import_settings(DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["short", "insecure-local-key-change-me"])
def test_a_weak_secret_key_is_refused(tmp_path, key):
    result = import_settings(DATA_DIR=str(tmp_path), SECRET_KEY=key)
    assert result.returncode != 0


def test_a_real_secret_key_starts(tmp_path):
    result = import_settings(DATA_DIR=str(tmp_path), SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr


def test_a_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 40 + "\n")
    result = import_settings(DATA_DIR=str(tmp_path), SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr


def test_without_debug_the_field_encryption_keys_are_required(tmp_path):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "DEBUG"}
    }
    environment.update(DATA_DIR=str(tmp_path), SECRET_KEY="k" * 50)
    result = subprocess.run(
        [sys.executable, "-c", "import mustafid.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
