"""A denial without a reason from staff used to copy the policy's sentence into
``decision_reason``; now it stores only what staff wrote and the pages, the API and the mail
show the policy's reason instead. Clear those copies (the same sentence is still shown, from
``policy_reason_text``). Backwards: write every request's policy sentence (in the site's
language) into ``policy_reason_text`` and copy it into the denials without a reason again,
so the rows have the shape they had before 0004."""

from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    RefundRequest = apps.get_model("refunds", "RefundRequest")
    RefundRequest.objects.filter(
        state="denied", policy_reason_json__isnull=True, decision_reason=F("policy_reason_text")
    ).exclude(decision_reason="").update(decision_reason="")


def backward(apps, schema_editor):
    from imaportal.reasons import Reason, render
    from refunds import words  # noqa: F401  (the words of the refund.* codes)

    RefundRequest = apps.get_model("refunds", "RefundRequest")
    for refund in RefundRequest.objects.filter(policy_reason_json__isnull=False):
        text = render(Reason.from_json(refund.policy_reason_json))
        RefundRequest.objects.filter(pk=refund.pk).update(policy_reason_text=text)
    RefundRequest.objects.filter(state="denied", decision_reason="").update(
        decision_reason=F("policy_reason_text")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("refunds", "0004_policy_reason_as_code"),
    ]

    operations = [migrations.RunPython(forward, backward)]
