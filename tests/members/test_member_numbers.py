"""Member numbers are unique in the database, and a drawn number that is taken is redrawn."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from members import services
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_database_refuses_a_second_member_with_the_same_number(member_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(member_number=member_a.member_number)


def test_a_taken_number_is_drawn_again(member_a, monkeypatch):
    draws = iter([member_a.member_number, member_a.member_number, "12345678"])
    monkeypatch.setattr(services, "_new_member_number", lambda: next(draws))

    member = services.create_member(
        email="new@example.org",
        password="a long enough passphrase",
        first_name="New",
        last_name="Member",
        birth_date=dt.date(1990, 5, 17),
    )

    assert member.member_number == "12345678"
    assert Member.objects.filter(member_number=member_a.member_number).count() == 1
