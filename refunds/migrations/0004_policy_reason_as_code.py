"""The policy's reason is stored as a code with values (``policy_reason_json``) and put into
words when shown; the English sentence of a request stored before that is kept, renamed
``policy_reason_text``, and shown when a request has no code (see 0005 for denials)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("refunds", "0003_reason_label_without_days"),
    ]

    operations = [
        migrations.RenameField(
            model_name="refundrequest", old_name="policy_reason", new_name="policy_reason_text"
        ),
        migrations.AlterField(
            model_name="refundrequest",
            name="policy_reason_text",
            field=models.TextField(
                blank=True, default="", verbose_name="policy explanation (before reason codes)"
            ),
        ),
        migrations.AddField(
            model_name="refundrequest",
            name="policy_reason_json",
            field=models.JSONField(null=True, verbose_name="policy reason (code and values)"),
        ),
    ]
