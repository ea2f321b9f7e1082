"""The nightly jobs over every member: ``chunks`` (the status recompute) and ``reminders``."""
