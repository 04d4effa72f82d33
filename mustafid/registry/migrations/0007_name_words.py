"""Distinct name words per association, for searching misspelt names; the name
keys' index leads with the word, so search can match it in any part."""

import django.db.models.deletion
from django.db import migrations, models

TRIGRAM = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS registry_nameword_trgm
    ON registry_nameword USING gin (word gin_trgm_ops);
"""


def fill_words(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO registry_nameword (organization_id, word, created_at, updated_at)"
        " SELECT organization_id, loose_key, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
        " FROM registry_beneficiarynamekey GROUP BY organization_id, loose_key",
        params=None,
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGRAM, params=None)


def drop_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_nameword_trgm", None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_order_within_association"),
        ("registry", "0006_order_within_association"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("word", models.CharField(max_length=60)),
            ],
            options={
                "ordering": ["word"],
            },
        ),
        migrations.RemoveIndex(
            model_name="beneficiarynamekey",
            name="name_key_lookup_idx",
        ),
        migrations.AddIndex(
            model_name="beneficiarynamekey",
            index=models.Index(
                fields=["organization", "loose_key", "beneficiary", "position"],
                name="name_key_word_idx",
            ),
        ),
        migrations.AddField(
            model_name="nameword",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organization",
            ),
        ),
        migrations.AddConstraint(
            model_name="nameword",
            constraint=models.UniqueConstraint(
                fields=("organization", "word"), name="name_word_unique_per_org"
            ),
        ),
        migrations.RunPython(fill_words, drop_trigram),
    ]
