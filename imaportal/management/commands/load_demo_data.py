"""Loads the whole demo: members, CPE, certification requests and refunds. It lives in the
project package, above every app, so it may call every app's demo."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification.demo import load_certification_demo
from cpe.demo import load_cpe_demo
from members.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS, load_demo_data
from members.models import User
from refunds.demo import load_refunds_demo


class Command(BaseCommand):
    help = (
        "Load the demo staff, members, offerings, CPE entries and refund requests "
        "(idempotent); print logins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        logins = load_demo_data(today)
        reviewer = User.objects.get(email="reviewer@demo.ima.example")
        entries = load_cpe_demo(today, reviewer=reviewer)
        load_certification_demo(today, reviewer=reviewer)
        refunds = load_refunds_demo(today, reviewer=reviewer)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Password for every login: {DEMO_PASSWORD}")
        )
        for email, role, note in logins:
            self.stdout.write(f"  {email:<34} {role:<16} {note}")
        self.stdout.write(f"{entries} transcript entries and {refunds} refund requests on record.")
        self.stdout.write("Staff sign in with a second factor. TOTP secrets (authenticator app):")
        for email, secret in DEMO_TOTP_SECRETS.items():
            self.stdout.write(f"  {email:<34} {secret}")
        self.stdout.write(
            "Or print the current code: python manage.py totp_code EMAIL (DEBUG only)"
        )
