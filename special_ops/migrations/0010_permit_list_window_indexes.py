"""The permit list's order index and the conflict check's window index over open permits (issue 18),
built with CREATE INDEX CONCURRENTLY on PostgreSQL, a plain CREATE INDEX on SQLite."""

from django.db import migrations, models

from backend.core.migration_ops import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("special_ops", "0009_lift_risk_record"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="workpermit",
            index=models.Index(fields=["enterprise", "-planned_start", "id"], name="permit_ent_start_idx"),
        ),
        AddIndexConcurrently(
            model_name="workpermit",
            index=models.Index(condition=models.Q(("state__in", ["submitted", "approved", "in_progress", "suspended"])),
                               fields=["enterprise", "planned_end", "planned_start"], name="permit_open_window_idx"),
        ),
    ]
