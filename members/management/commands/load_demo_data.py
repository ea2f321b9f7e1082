from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from members.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS, load_demo_data


class Command(BaseCommand):
    help = "Load the demo staff and members (idempotent) and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo_data(timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Password for every login: {DEMO_PASSWORD}")
        )
        for email, role, note in logins:
            self.stdout.write(f"  {email:<34} {role:<16} {note}")
        self.stdout.write("Staff sign in with a second factor. TOTP secrets (authenticator app):")
        for email, secret in DEMO_TOTP_SECRETS.items():
            self.stdout.write(f"  {email:<34} {secret}")
        self.stdout.write(
            "Or print the current code: python manage.py totp_code EMAIL (DEBUG only)"
        )
