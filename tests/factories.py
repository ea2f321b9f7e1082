"""factory_boy factories: the only way tests make data."""

import datetime as dt
from decimal import Decimal

import factory
from allauth.mfa.totp.internal.auth import TOTP

from members.models import Member, MembershipType, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    """A staff reviewer with a TOTP authenticator (staff must have two-factor)."""

    email = factory.Sequence(lambda n: f"staff{n}@ima.example")
    is_staff = True
    totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    class Meta:
        model = User
        exclude = ("totp_secret",)
        skip_postgeneration_save = True
        django_get_or_create = ("email",)

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, StaffFactory.totp_secret)


class MembershipTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipType
        django_get_or_create = ("code",)

    code = "professional"
    name = "Professional"
    annual_dues = Decimal("295.00")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    member_number = factory.Sequence(lambda n: f"{20000000 + n}")
    birth_date = dt.date(1985, 4, 12)
    country = "US"
    membership_type = factory.SubFactory(MembershipTypeFactory)
    certified_on = dt.date(2020, 3, 1)
    dues_paid_through = dt.date(2026, 12, 31)
    joined_on = dt.date(2019, 9, 1)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cpe.Offering"

    kind = "live_event"
    title = factory.Sequence(lambda n: f"IMA Live Webinar {n}")
    starts_on = dt.date(2026, 3, 10)
    cpe_hours = Decimal("2.0")
    price = Decimal("99.00")
    currency = "USD"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cpe.Enrollment"

    member = factory.SubFactory(MemberFactory)
    offering = factory.SubFactory(OfferingFactory)
    price = factory.LazyAttribute(lambda o: o.offering.price)
    currency = "USD"
    enrolled_on = dt.date(2026, 2, 1)


class EntryFactory(factory.django.DjangoModelFactory):
    """A self-reported seminar entry (pending unless told otherwise)."""

    class Meta:
        model = "cpe.TranscriptEntry"

    member = factory.SubFactory(MemberFactory)
    source = "self"
    activity_type = "short_course"
    title = factory.Sequence(lambda n: f"Seminar {n}")
    provider = "Some Institute"
    completed_on = dt.date(2026, 5, 4)
    has_instructor = True
    has_formal_materials = True
    minutes = 400
    credit_hours = Decimal("8.0")
    credit_rule = "fifty_minute_hour"
    credit_reasons = factory.LazyFunction(
        lambda: [
            {
                "code": "credit.fifty_minute_hours",
                "params": {
                    "minutes": 400,
                    "hours": {"decimal": "8.0"},
                    "per_credit": 50,
                    "increment": {"decimal": "0.5"},
                },
            }
        ]
    )
    review_status = "pending"


def unsaved_member(certified_on=None):
    """A member held in memory only, for pure functions (exports, the PDF)."""
    user = User(email="zoe@example.org", first_name="Zoë", last_name="Łukasz")
    return Member(user=user, member_number="20009999", certified_on=certified_on)


def unsaved_entry(member, **kwargs):
    """An approved seminar entry of ``member`` held in memory only; ``kwargs`` override."""
    from cpe.models import TranscriptEntry

    values = {
        "member": member,
        "source": "self",
        "activity_type": "short_course",
        "title": "Budgeting",
        "provider": "Some Institute",
        "completed_on": dt.date(2026, 5, 4),
        "credit_hours": Decimal("8"),
        "review_status": "approved",
    }
    values.update(kwargs)
    return TranscriptEntry(**values)
