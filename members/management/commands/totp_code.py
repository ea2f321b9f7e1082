"""Print the current two-factor code of an account; ``--enroll`` first sets up TOTP for an
account that has none and prints its secret. Operators and scripts use it to enroll staff
accounts (whoever runs it already has full database access)."""

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from members.models import User


def current_code(secret: str) -> str:
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


class Command(BaseCommand):
    help = (
        "Print the current two-factor (TOTP) code of an account as the last line. "
        "With --enroll, first set up TOTP for an account that has none and print its secret."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--enroll",
            action="store_true",
            help="Set up TOTP for the account (it must not have it yet); print the secret "
            "and the otpauth:// URL for an authenticator app.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email: str = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"There is no account with the email address {email}.")
        if options["enroll"]:
            secret = self._enroll(user)
            self.stdout.write(f"secret: {secret}")
            self.stdout.write(f"url: {get_adapter().build_totp_url(user, secret)}")
        else:
            authenticator = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).first()
            if authenticator is None:
                raise CommandError(
                    f"{user.email} has no two-factor authenticator (set one up with --enroll)."
                )
            secret = str(decrypt(authenticator.data["secret"]))
        self.stdout.write(current_code(secret))

    def _enroll(self, user: User) -> str:
        with transaction.atomic():
            # Lock the account so two enrollments at once cannot both add a TOTP.
            User.objects.select_for_update().filter(pk=user.pk).first()
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                raise CommandError(
                    f"{user.email} already has two-factor authentication; "
                    "run without --enroll to print the current code."
                )
            secret = str(generate_totp_secret())
            TOTP.activate(user, secret)
        return secret
