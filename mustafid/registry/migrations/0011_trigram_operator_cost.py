"""Tell PostgreSQL what a trigram comparison costs (P-COMPLETE, the duplicate
check's spelling path).

pg_trgm declares `%` as cheap as `=`, so for an association's few thousand
name words the planner compares every word (5 ms) instead of asking their
trigram index (1 ms). A database user who does not own the extension keeps
the default: the answers are the same, only slower.
"""

from django.db import migrations

COST = """
DO $$ BEGIN
    ALTER FUNCTION similarity_op(text, text) COST {cost};
EXCEPTION WHEN insufficient_privilege OR undefined_function THEN
    RAISE NOTICE 'similarity_op cost left as it was';
END $$;
"""


def _set_cost(cost: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(COST.format(cost=cost), params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_name_blocks")]

    operations = [migrations.RunPython(_set_cost(50), _set_cost(1))]
