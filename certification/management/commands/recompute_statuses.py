"""``manage.py recompute_statuses``: the nightly status recompute, on demand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from certification.mail import mail_unsent_changes
from certification.nightly.chunks import DEFAULT_CHUNK_SIZE
from certification.tasks import run_recompute


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Recompute the certification status of every member whose stored status is stale "
        "(or of every member with --all), as the nightly job does, and print a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=_day, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
        parser.add_argument(
            "--all", action="store_true", dest="everyone", help="treat every member as stale"
        )
        parser.add_argument(
            "--dispatch",
            action="store_true",
            help="hand the chunks to the Celery workers instead of running them here",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: dt.date = options["as_of"] or timezone.localdate()
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1.")
        summary = run_recompute(
            as_of,
            chunk_size=options["chunk_size"],
            everyone=options["everyone"],
            inline=not options["dispatch"],
        )
        if unsent := mail_unsent_changes():
            self.stdout.write(f"{unsent} status-change mails that had not gone out were sent.")
        if summary.dispatched:
            self.stdout.write(
                f"Status recompute as of {as_of.isoformat()}: {summary.chunks} chunks sent to "
                f"the Celery workers in {summary.seconds:.2f} s."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Status recompute as of {as_of.isoformat()}: {summary.read} members read, "
                f"{summary.written} changed ({summary.status_changes} status changes "
                f"recorded), {summary.chunks} chunks, {summary.seconds:.2f} seconds."
            )
        )
