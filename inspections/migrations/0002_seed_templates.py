from django.db import migrations


def seed(apps, schema_editor):
    from inspections.rules.checklists import TEMPLATES

    Template = apps.get_model("inspections", "InspectionTemplate")
    for t in TEMPLATES:
        Template.objects.get_or_create(code=t["code"], version=t["version"],
                                       defaults={"title": t["title"], "items": t["items"]})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
