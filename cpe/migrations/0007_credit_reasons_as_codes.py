"""Credit reasons become codes with parameters (issue 15): ``credit_rule`` takes its values
from ``cpe.credit.CreditRule`` (the same strings), and every sentence stored before codes is
kept as written, as ``Reason.text(old).as_json()``. Going back renders each reason to the
sentence it shows today."""

from typing import Any

from django.db import migrations, models

from imaportal.reasons import Reason, render

BATCH = 1000


def as_codes(items: list[Any]) -> list[Any]:
    """The stored reasons with each old plain sentence kept as a text reason."""
    return [Reason.text(item).as_json() if isinstance(item, str) else item for item in items]


def as_texts(items: list[Any]) -> list[Any]:
    """The stored reasons as the plain sentences they show (in the active language)."""
    return [item if isinstance(item, str) else render(Reason.from_json(item)) for item in items]


def _convert(apps: Any, change: Any) -> None:
    entries = apps.get_model("cpe", "TranscriptEntry")
    changed = []
    for entry in entries.objects.only("id", "credit_reasons").order_by("pk").iterator(BATCH):
        new = change(entry.credit_reasons or [])
        if new != entry.credit_reasons:
            entry.credit_reasons = new
            changed.append(entry)
        if len(changed) >= BATCH:
            entries.objects.bulk_update(changed, ["credit_reasons"])
            changed = []
    entries.objects.bulk_update(changed, ["credit_reasons"])


def keep_old_texts(apps: Any, schema_editor: Any) -> None:
    _convert(apps, as_codes)


def back_to_texts(apps: Any, schema_editor: Any) -> None:
    _convert(apps, as_texts)


class Migration(migrations.Migration):
    dependencies = [
        ("cpe", "0006_models_moved_to_certification_and_policy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="transcriptentry",
            name="credit_rule",
            field=models.CharField(
                choices=[
                    ("recommended_hours", "recommended_hours"),
                    ("ima_offering", "ima_offering"),
                    ("fifty_minute_hour", "fifty_minute_hour"),
                    ("semester_credit_hours", "semester_credit_hours"),
                    ("quarter_credit_hours", "quarter_credit_hours"),
                    ("full_day", "full_day"),
                    ("presentation_first", "presentation_first"),
                    ("presentation_repeat", "presentation_repeat"),
                    ("presentation_repeat_limit", "presentation_repeat_limit"),
                    ("teaching_first", "teaching_first"),
                    ("teaching_changed", "teaching_changed"),
                    ("teaching_after_three_years", "teaching_after_three_years"),
                    ("teaching_repeat", "teaching_repeat"),
                    ("certification_exam", "certification_exam"),
                    ("publication_once", "publication_once"),
                    ("publication", "publication"),
                    ("publication_submitted", "publication_submitted"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(keep_old_texts, back_to_texts, elidable=False),
    ]
