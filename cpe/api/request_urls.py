from django.urls import URLPattern, URLResolver, path

from cpe.api import request_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "members/<int:member_id>/exemptions/",
        views.MemberExemptionsView.as_view(),
        name="api-member-exemptions",
    ),
    path(
        "exemptions/<int:exemption_id>/approve/",
        views.ExemptionApproveView.as_view(),
        name="api-exemption-approve",
    ),
    path(
        "exemptions/<int:exemption_id>/reject/",
        views.ExemptionRejectView.as_view(),
        name="api-exemption-reject",
    ),
    path(
        "exemptions/<int:exemption_id>/document/",
        views.ExemptionDocumentView.as_view(),
        name="api-exemption-document",
    ),
    path(
        "members/<int:member_id>/retirements/",
        views.MemberRetirementsView.as_view(),
        name="api-member-retirements",
    ),
    path(
        "retirements/<int:retirement_id>/approve/",
        views.RetirementApproveView.as_view(),
        name="api-retirement-approve",
    ),
    path(
        "retirements/<int:retirement_id>/reject/",
        views.RetirementRejectView.as_view(),
        name="api-retirement-reject",
    ),
]
