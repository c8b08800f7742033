from django.db import migrations


def seed(apps, schema_editor):
    from backend.accounts.divisions import DIVISIONS

    Division = apps.get_model("accounts", "Division")
    for code, name, parent in DIVISIONS:
        Division.objects.update_or_create(code=code, defaults={"name": name, "parent_id": parent})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
