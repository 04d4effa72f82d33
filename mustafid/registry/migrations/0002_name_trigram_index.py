"""On PostgreSQL, a trigram index makes name search and duplicate candidates fast;
SQLite searches the same column without it."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS registry_beneficiary_name_trgm
    ON registry_beneficiary USING gin (name_normalized gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS registry_beneficiary_name_trgm;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
