"""REST API v1 for transcripts, review, offerings, enrollments and attendance."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cpe import selectors
from cpe.api.serializers import (
    ActivityDetailSerializer,
    ActivityInputSerializer,
    ActivitySerializer,
    AttendanceResultSerializer,
    AttendanceSerializer,
    EnrollmentCreateSerializer,
    EnrollmentPatchSerializer,
    EnrollmentSerializer,
    EntryDecisionSerializer,
    OfferingSerializer,
    activity_fields_description,
)
from cpe.models import TranscriptEntry
from cpe.services import corrections, entries, offerings
from imaportal.api import IsStaff, Pagination, query_param
from imaportal.exceptions import InvalidInput, NotFound
from imaportal.parsers import JSONParser
from imaportal.validation import query_year
from members.models import Member, User
from members.selectors import has_staff_power, member_for, own_member

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _user(request: Request) -> User:
    return cast(User, request.user)


def _year(request: Request) -> int | None:
    return query_year(query_param(request, "year"))


class MemberActivitiesView(APIView):
    """A member's transcript entries (``?year=``) and "Add Transcript"."""

    pagination_class = Pagination

    parser_classes = PARSERS

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=False)],
        responses={200: ActivitySerializer(many=True)},
    )
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        qs = selectors.transcript(member, year=_year(request)).select_related("reviewed_by")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ActivitySerializer(page, many=True).data)

    @extend_schema(
        request=ActivityInputSerializer,
        responses={201: ActivitySerializer},
        description=activity_fields_description(),
    )
    def post(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        data = ActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = entries.submit_entry(
            member=member,
            data=entries.activity_input(values),
            provider=values.get("provider", ""),
            evidence=values.get("evidence"),
            by=_user(request),
        )
        return Response(ActivitySerializer(entry).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(APIView):
    """One entry with its history; a pending self-reported entry may be changed."""

    parser_classes = PARSERS

    @extend_schema(responses={200: ActivityDetailSerializer})
    def get(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_for(user=request.user, entry_id=entry_id)
        return Response(ActivityDetailSerializer(entry).data)

    @extend_schema(request=ActivityInputSerializer, responses={200: ActivitySerializer})
    def patch(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_for(user=request.user, entry_id=entry_id)
        entries.check_editable(entry)
        values = _merged_input(entry, request.data)
        entry = entries.update_entry(
            entry=entry,
            data=entries.activity_input(values),
            provider=values.get("provider", ""),
            evidence=values.get("evidence"),
            by=_user(request),
        )
        return Response(ActivitySerializer(entry).data)


def _merged_input(entry: TranscriptEntry, data: object) -> dict[str, Any]:
    """The entry's own fields with the ones sent replacing them, validated as a whole (an
    edit and a resubmission send only what changes)."""
    current: dict[str, Any] = {
        name: getattr(entry, name)
        for name in entries.INPUT_FIELDS
        if getattr(entry, name) is not None
    }
    current["provider"] = entry.provider
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": [_("Send an object of fields to change.")]})
    merged = ActivityInputSerializer(data={**current, **dict(data.items())})
    merged.is_valid(raise_exception=True)
    return dict(merged.validated_data)


class ActivityResubmitView(APIView):
    """Correct and resubmit one's own rejected entry: the fields sent replace the rejected
    entry's (the rest are kept); a new pending entry is created, the rejected one stays."""

    parser_classes = PARSERS

    @extend_schema(request=ActivityInputSerializer, responses={201: ActivitySerializer})
    def post(self, request: Request, entry_id: int) -> Response:
        rejected = selectors.entry_for(user=request.user, entry_id=entry_id)
        if rejected.member.user_id != request.user.pk:
            raise NotFound()  # the member's own entries only, staff included
        corrections.check_resubmittable(rejected)
        values = _merged_input(rejected, request.data)
        entry = corrections.resubmit_entry(
            rejected=rejected,
            data=entries.activity_input(values),
            provider=values.get("provider", ""),
            evidence=values.get("evidence"),
            by=_user(request),
        )
        return Response(ActivitySerializer(entry).data, status=status.HTTP_201_CREATED)


class ActivityWithdrawView(APIView):
    @extend_schema(request=None, responses={200: ActivitySerializer})
    def post(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_for(user=request.user, entry_id=entry_id)
        entry = entries.withdraw_entry(entry=entry, by=_user(request))
        return Response(ActivitySerializer(entry).data)


class _ActivityDecisionView(APIView):
    """Approve or reject a pending entry (staff); 409 once it is no longer pending, or when
    ``version`` is given and the entry has changed since that version."""

    permission_classes = [IsStaff]
    decide: Callable[..., TranscriptEntry]

    @extend_schema(request=EntryDecisionSerializer, responses={200: ActivitySerializer})
    def post(self, request: Request, entry_id: int) -> Response:
        entry = selectors.entry_for(user=request.user, entry_id=entry_id)
        data = EntryDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = type(self).decide(
            entry=entry,
            by=_user(request),
            reason=data.validated_data["reason"],
            version=data.validated_data.get("version"),
        )
        return Response(ActivitySerializer(entry).data)


class ActivityApproveView(_ActivityDecisionView):
    decide = entries.approve_entry


class ActivityRejectView(_ActivityDecisionView):
    decide = entries.reject_entry


def evidence_response(entry: TranscriptEntry) -> FileResponse:
    """The evidence file as a download; the caller has already checked access."""
    if not entry.evidence:
        raise NotFound()
    response = FileResponse(
        entry.evidence.open("rb"),
        content_type=entry.evidence_content_type or "application/octet-stream",
        as_attachment=False,
        filename=entry.evidence_name or entry.evidence.name or "evidence",
    )
    # The type was checked from the content on upload (PDF, PNG or JPEG only); nosniff keeps
    # browsers to it. No CSP sandbox: Chrome's PDF viewer does not render in one.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ActivityEvidenceView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, entry_id: int) -> FileResponse:
        return evidence_response(selectors.entry_for(user=request.user, entry_id=entry_id))


class OfferingsView(APIView):
    """IMA offerings: listed to signed-in users, created by staff."""

    pagination_class = Pagination

    def get_permissions(self) -> list[Any]:
        return [IsStaff()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(responses={200: OfferingSerializer(many=True)})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.offerings(), request, view=self)
        return paginator.get_paginated_response(OfferingSerializer(page, many=True).data)

    @extend_schema(request=OfferingSerializer, responses={201: OfferingSerializer})
    def post(self, request: Request) -> Response:
        data = OfferingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = offerings.create_offering(**data.validated_data, by=_user(request))
        return Response(OfferingSerializer(offering).data, status=status.HTTP_201_CREATED)


class OfferingEnrollmentsView(APIView):
    @extend_schema(request=EnrollmentCreateSerializer, responses={201: EnrollmentSerializer})
    def post(self, request: Request, offering_id: int) -> Response:
        offering = selectors.offering_for(offering_id)
        data = EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = _user(request)
        if has_staff_power(user):
            if "member" not in values:
                raise InvalidInput({"member": [_("Staff must name the member to enroll.")]})
            member = member_for(user=user, member_id=values["member"])
            enrollment = offerings.enroll(
                offering=offering,
                member=member,
                by=user,
                enrolled_on=values.get("enrolled_on"),
                final_test_taken=values.get("final_test_taken", False),
            )
        else:
            staff_only = [k for k in ("enrolled_on", "final_test_taken") if k in values]
            if staff_only:
                raise InvalidInput({k: [_("Only staff may set this field.")] for k in staff_only})
            member = own_member(user)
            if "member" in values and values["member"] != member.pk:
                raise NotFound()
            enrollment = offerings.enroll(offering=offering, member=member, by=user)
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)


class OfferingAttendanceView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=AttendanceSerializer, responses={200: AttendanceResultSerializer})
    def post(self, request: Request, offering_id: int) -> Response:
        offering = selectors.offering_for(offering_id)
        data = AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["members"]
        members = list(Member.objects.filter(pk__in=ids))
        unknown = sorted(set(ids) - {m.pk for m in members})
        if unknown:
            raise InvalidInput(
                {
                    "members": [
                        _("No member with id %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
                    ]
                }
            )
        result = offerings.record_attendance(offering=offering, members=members, by=_user(request))
        return Response(AttendanceResultSerializer(result).data)


class MemberEnrollmentsView(APIView):
    pagination_class = Pagination

    @extend_schema(responses={200: EnrollmentSerializer(many=True)})
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.enrollments_of(member), request, view=self)
        return paginator.get_paginated_response(EnrollmentSerializer(page, many=True).data)


class EnrollmentDetailView(APIView):
    def get_permissions(self) -> list[Any]:
        return [IsStaff()] if self.request.method == "PATCH" else [IsAuthenticated()]

    @extend_schema(responses={200: EnrollmentSerializer})
    def get(self, request: Request, enrollment_id: int) -> Response:
        enrollment = selectors.enrollment_for(user=request.user, enrollment_id=enrollment_id)
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(request=EnrollmentPatchSerializer, responses={200: EnrollmentSerializer})
    def patch(self, request: Request, enrollment_id: int) -> Response:
        enrollment = selectors.enrollment_for(user=request.user, enrollment_id=enrollment_id)
        data = EnrollmentPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = offerings.set_final_test_taken(
            enrollment=enrollment, value=data.validated_data["final_test_taken"], by=_user(request)
        )
        return Response(EnrollmentSerializer(enrollment).data)
