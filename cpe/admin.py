"""Admin for policy versions, offerings, enrollments and transcript entries. State changes
(approval, rejection) go through cpe.services like everywhere else: transcript entries are
read-only here (no change form can save one), and the approve action names the version
each row was listed with, so an entry changed since is not approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from audit import services as audit
from cpe.models import Enrollment, EntryEvent, Offering, TranscriptEntry
from cpe.services import entries, offerings
from members.models import User

VERSION_FIELD_PREFIX = "entry_version_"


class OfferingAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Checks only; ``OfferingAdmin.save_model`` writes through the services."""

    class Meta:
        model = Offering
        fields = (
            "kind",
            "title",
            "description",
            "starts_on",
            "cpe_hours",
            "price",
            "currency",
            "refund_deadline_days",
            "refund_fee_percent",
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        errors = offerings.offering_errors(
            kind=cleaned.get("kind") or "",
            title=cleaned.get("title") or "",
            price=cleaned.get("price") or Decimal("0"),
            starts_on=cleaned.get("starts_on"),
            cpe_hours=cleaned.get("cpe_hours") or Decimal("0"),
            refund_deadline_days=cleaned.get("refund_deadline_days"),
            refund_fee_percent=cleaned.get("refund_fee_percent"),
        )
        for field, messages_ in errors.items():
            self.add_error(field if field in self.fields else None, messages_)
        return cleaned


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = OfferingAdminForm
    list_display = ("title", "kind", "starts_on", "cpe_hours", "price", "currency")
    list_filter = ("kind",)
    search_fields = ("title",)
    date_hierarchy = "starts_on"

    def save_model(self, request: HttpRequest, obj: Offering, form: Any, change: bool) -> None:
        """Through the services: the same checks as a new offering, recorded in the audit
        log with what changed."""
        user = cast(User, request.user)
        if change:
            before = audit.form_before(form, offerings.OFFERING_FIELDS)
            offerings.update_offering(offering=obj, before=before, by=user)
            return
        saved = offerings.create_offering(
            kind=obj.kind,
            title=obj.title,
            price=obj.price,
            currency=obj.currency,
            starts_on=obj.starts_on,
            cpe_hours=obj.cpe_hours,
            description=obj.description,
            refund_deadline_days=obj.refund_deadline_days,
            refund_fee_percent=obj.refund_fee_percent,
            by=user,
        )
        obj.pk = saved.pk


class EnrollmentAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Enrollment
        fields = ("member", "offering", "enrolled_on", "final_test_taken")

    def clean_enrolled_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["enrolled_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The enrollment date cannot be in the future."))
        return day


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "member",
        "offering",
        "enrolled_on",
        "price",
        "final_test_taken",
        "attended",
        "walk_in",
    )
    list_filter = ("attended", "walk_in", "offering__kind")
    search_fields = ("member__member_number", "member__user__email", "offering__title")
    list_select_related = ("member__user", "offering")
    raw_id_fields = ("member", "offering")
    date_hierarchy = "enrolled_on"
    form = EnrollmentAdminForm

    def get_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> Any:
        if obj is None:  # recording a purchase made elsewhere, with its real date
            return ["member", "offering", "enrolled_on", "final_test_taken"]
        return [
            "member",
            "offering",
            "enrolled_on",
            "price",
            "currency",
            "final_test_taken",
            "attended",
            "walk_in",
            "created_by",
            "created_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> list[str]:
        if obj is None:
            return []
        # The price is the offering's at purchase; attendance comes from the import.
        fields: list[str] = self.get_fields(request, obj)
        return [f for f in fields if f != "final_test_taken"]

    def save_model(self, request: HttpRequest, obj: Enrollment, form: Any, change: bool) -> None:
        """Through the services: the offering's price of this moment for a new enrollment,
        a locked update of the final-test flag for an existing one."""
        user = cast(User, request.user)
        if change:
            saved = offerings.set_final_test_taken(
                enrollment=obj, value=obj.final_test_taken, by=user
            )
        else:
            saved = offerings.enroll(
                offering=obj.offering,
                member=obj.member,
                by=user,
                enrolled_on=obj.enrolled_on,
                final_test_taken=obj.final_test_taken,
            )
        obj.pk = saved.pk
        obj.price, obj.currency = saved.price, saved.currency


class EntryEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EntryEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "by", "at", "reason", "credit_hours")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TranscriptEntry)
class TranscriptEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "title",
        "member",
        "activity_type",
        "completed_on",
        "credit_hours",
        "source",
        "review_status",
        "version_listed",
    )
    list_filter = ("review_status", "source", "activity_type", "ethics")
    search_fields = ("title", "member__member_number", "member__user__email")
    list_select_related = ("member__user",)
    date_hierarchy = "completed_on"
    inlines = (EntryEventInline,)
    actions = ("approve_selected",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Entries change only through the services (rules, review, history).
        return [f.name for f in TranscriptEntry._meta.fields] + ["credit_explanations"]

    @admin.display(description=_("why this credit"))
    def credit_explanations(self, obj: TranscriptEntry) -> str:
        return " ".join(obj.explanations())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # View only: a saved change form would write the entry past the services (no
        # rules, no history, no version). Approval is the action below.
        return False

    @admin.display(description=_("version"))
    def version_listed(self, obj: TranscriptEntry) -> SafeString:
        # The hidden input sits inside the changelist's action form: the approve action
        # gets the version each row was listed with.
        return format_html(
            '{}<input type="hidden" name="{}{}" value="{}">',
            obj.version,
            VERSION_FIELD_PREFIX,
            obj.pk,
            obj.version,
        )

    @admin.action(description=_("Approve selected pending entries"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[TranscriptEntry]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        versions: dict[int, int] = {}
        for pk in ids:
            raw = request.POST.get(f"{VERSION_FIELD_PREFIX}{pk}", "")
            if raw.isascii() and raw.isdigit() and 0 < int(raw) <= 2_147_483_647:
                versions[pk] = int(raw)
        result = entries.bulk_approve(entry_ids=ids, versions=versions, by=cast(User, request.user))
        self.message_user(
            request,
            _("%(n)d approved, %(s)d skipped (not pending).")
            % {"n": len(result.approved), "s": len(result.skipped)},
            messages.SUCCESS,
        )
        if result.stale:
            self.message_user(
                request,
                _(
                    "%(n)d changed by the member after the list was shown and not approved: "
                    "%(titles)s. Review them again."
                )
                % {
                    "n": len(result.stale),
                    "titles": ", ".join(f"“{e.title}”" for e in result.stale),
                },
                messages.WARNING,
            )
