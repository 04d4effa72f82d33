"""Name keys for the beneficiaries registered before the table existed."""

from django.db import migrations

from mustafid.registry.name_keys import keys_of

BATCH = 2000


def forwards(apps, schema_editor):
    Beneficiary = apps.get_model("registry", "Beneficiary")
    NameKey = apps.get_model("registry", "BeneficiaryNameKey")
    rows = Beneficiary.objects.filter(name_keys__isnull=True).values_list(
        "pk", "organization_id", "first_name", "father_name", "grandfather_name",
        "family_name",
    )
    batch = []
    for pk, org_id, first, father, grandfather, family in rows.iterator(BATCH):
        parts = {"first": first, "father": father, "grandfather": grandfather,
                 "family": family}
        for position, (key, loose) in keys_of(parts).items():
            batch.append(
                NameKey(organization_id=org_id, beneficiary_id=pk,
                        position=position, key=key, loose_key=loose)
            )
        if len(batch) >= BATCH:
            NameKey.objects.bulk_create(batch)
            batch = []
    NameKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_beneficiary_name_keys")]

    # Backwards, the schema migration before this one drops the table.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
