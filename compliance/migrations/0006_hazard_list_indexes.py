"""The hazard lists' indexes (issue 18): tenant/jurisdiction + filter + ordering with the ``id``
tie-breaker. Built with CREATE INDEX CONCURRENTLY on PostgreSQL (writes continue during the build),
a plain CREATE INDEX on SQLite."""

from django.db import migrations, models

from backend.core.migration_ops import AddIndexConcurrently

OPEN = models.Q(("state__in", ["reported", "confirmed", "rectifying"]))


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("compliance", "0005_riskevent_accident_consequence"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(fields=["enterprise", "-found_on", "id"], name="hazard_ent_found_idx"),
        ),
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(fields=["enterprise", "state", "deadline", "id"], name="hazard_ent_state_dl_idx"),
        ),
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(fields=["enterprise", "deadline", "id"], name="hazard_ent_deadline_idx"),
        ),
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(condition=OPEN, fields=["enterprise", "-found_on", "id"], name="hazard_ent_open_found_idx"),
        ),
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(condition=models.Q(("grade", "major")), fields=["enterprise", "-found_on", "id"],
                               name="hazard_ent_major_found_idx"),
        ),
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(fields=["-found_on", "id"], name="hazard_found_idx"),
        ),
        AddIndexConcurrently(
            model_name="hazard",
            index=models.Index(condition=OPEN, fields=["-found_on", "id"], name="hazard_open_found_idx"),
        ),
    ]
