"""The one family of domain errors. Services raise them; ``imaportal.api.exception_handler``
turns them into HTTP answers (400, 404, 409) and HTML views into form errors or 404 pages.

Services lock rows in one order, so concurrent writes wait instead of deadlocking (a 500):
the Member row first, then the object (entry, offering, enrollment, request, refund); see
``cpe.services``. A write that a concurrent change made stale is a ``Conflict``."""

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    """Base class of every error a service raises on purpose."""

    status_code = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """Bad input: answered with 400 and the errors per field."""

    def __init__(self, errors: Mapping[str, Sequence[str] | str]) -> None:
        self.errors: dict[str, list[str]] = {
            field: [msgs] if isinstance(msgs, str) else list(msgs) for field, msgs in errors.items()
        }
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class NotFound(DomainError):
    """Missing, or not the caller's to see: the same answer either way (404)."""

    status_code = 404


class Conflict(DomainError):
    """The object is not in a state that allows the change (409)."""

    status_code = 409


class Unavailable(DomainError):
    """The portal cannot do this now for a reason of its own, not the caller's (503): say
    what and whom to contact; the cause is logged."""

    status_code = 503
