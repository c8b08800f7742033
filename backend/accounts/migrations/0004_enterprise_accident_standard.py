from django.db import migrations, models


class Migration(migrations.Migration):
    """Enterprise.accident_standard: GB 6441-1986 (default, as so far) or GB 6441-2025 (issue 14 §13)."""

    dependencies = [
        ('accounts', '0003_enterprise_kind'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='accident_standard',
            field=models.CharField(choices=[('gb6441-1986', 'GB 6441-1986'), ('gb6441-2025', 'GB 6441-2025')], default='gb6441-1986', max_length=12, verbose_name='事故类型标准'),
        ),
    ]
