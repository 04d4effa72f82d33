"""On PostgreSQL, a GIN index over each name block's four parts: a name search
of several words intersects the index's lists of the people bearing each word
(P-COMPLETE, finding a beneficiary). Three common words (محمد أحمد الغامدي)
took 143 ms merging the sorted key lists; the index answers in about 30 ms.
SQLite searches the name keys instead.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS name_block_words_gin
    ON registry_nameblock USING gin ((ARRAY[first, father, grandfather, family]));
"""
DROP = "DROP INDEX IF EXISTS name_block_words_gin;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_trigram_operator_cost")]

    operations = [migrations.RunPython(forwards, backwards)]
