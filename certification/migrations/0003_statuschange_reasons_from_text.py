"""Every status change recorded before reasons were codes keeps its sentence: ``reasons``
becomes ``[Reason.text(reason).as_json()]`` (shown as written). Backwards, a change recorded
with codes gets its reasons put into words (in English) in ``reason``, so nothing is lost."""

from typing import Any

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import JSONArray, JSONObject


def keep_old_texts(apps: Any, schema_editor: Any) -> None:
    StatusChange = apps.get_model("certification", "StatusChange")
    # The stored form of ``Reason.text(old)``, built in the database in one statement.
    StatusChange.objects.exclude(reason="").filter(reasons=[]).update(
        reasons=JSONArray(JSONObject(code=Value("text"), params=JSONObject(text=F("reason"))))
    )


def texts_from_codes(apps: Any, schema_editor: Any) -> None:
    from django.utils import translation

    from imaportal.reasons import Reason, render_all

    StatusChange = apps.get_model("certification", "StatusChange")
    rows = StatusChange.objects.filter(reason="").exclude(reasons=[])
    with translation.override("en"):
        for row in rows.iterator():
            row.reason = " ".join(render_all(Reason.from_json(item) for item in row.reasons))
            row.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_statuschange_reasons"),
    ]

    operations = [
        migrations.RunPython(keep_old_texts, texts_from_codes),
    ]
