"""The credential issuer's keys (``imaportal.signing``): list them, print a new one, rotate
the key file (a new key signs from now on; the old ones stay published) or remove an old
key from it (credentials it signed stop verifying)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imaportal import signing


class Command(BaseCommand):
    help = "List, generate, rotate or remove the Ed25519 keys that sign credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "generate", "rotate", "remove"])
        parser.add_argument("kid", nargs="?", help="the key to remove (remove only)")

    def handle(self, *args: Any, action: str, kid: str | None = None, **options: Any) -> None:
        if action == "generate":
            # For IMAPORTAL_ISSUER_KEYS: put it first in the set that is configured.
            self.stdout.write(signing.key_set_text((signing.new_key(),)))
            return
        if action == "list":
            keys = signing.issuer_keys()
            signer = signing.signing_key().kid
            for key in keys:
                role = "signs" if key.kid == signer else "published"
                private = "private" if key.private else "public only"
                self.stdout.write(f"{key.kid}  {role}  ({private})")
            return
        path = self._key_file()
        keys = signing.parse_keys(path.read_text()) if path.exists() else ()
        if action == "rotate":
            new = signing.new_key()
            signing.write_key_file(path, (new, *keys), replace=True)
            self.stdout.write(f"{new.kid} signs from now on; {len(keys)} older key(s) published.")
            return
        remaining = tuple(key for key in keys if key.kid != kid)
        if not kid or len(remaining) == len(keys):
            raise CommandError(f"No key {kid!r} in {path}.")
        if not any(key.private for key in remaining):
            raise CommandError("That is the last private key: rotate first.")
        signing.write_key_file(path, remaining, replace=True)
        self.stdout.write(f"{kid} removed: credentials it signed no longer verify.")

    def _key_file(self) -> Path:
        if settings.ISSUER_KEYS or not settings.ISSUER_KEY_FILE:
            raise CommandError(
                "The keys come from IMAPORTAL_ISSUER_KEYS: edit that set (newest first); "
                "`issuer_keys generate` prints a new key."
            )
        return Path(settings.ISSUER_KEY_FILE)
