from django.urls import URLPattern, URLResolver, path

from certification.api import credential, requests, status

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "members/<int:member_id>/status/",
        status.MemberStatusView.as_view(),
        name="api-member-status",
    ),
    path(
        "members/<int:member_id>/status/history/",
        status.MemberStatusHistoryView.as_view(),
        name="api-member-status-history",
    ),
    path(
        "members/<int:member_id>/credential/",
        credential.MemberCredentialView.as_view(),
        name="api-member-credential",
    ),
    path(
        "members/<int:member_id>/exemptions/",
        requests.MemberExemptionsView.as_view(),
        name="api-member-exemptions",
    ),
    path(
        "exemptions/<int:exemption_id>/approve/",
        requests.ExemptionApproveView.as_view(),
        name="api-exemption-approve",
    ),
    path(
        "exemptions/<int:exemption_id>/reject/",
        requests.ExemptionRejectView.as_view(),
        name="api-exemption-reject",
    ),
    path(
        "exemptions/<int:exemption_id>/document/",
        requests.ExemptionDocumentView.as_view(),
        name="api-exemption-document",
    ),
    path(
        "members/<int:member_id>/retirements/",
        requests.MemberRetirementsView.as_view(),
        name="api-member-retirements",
    ),
    path(
        "retirements/<int:retirement_id>/approve/",
        requests.RetirementApproveView.as_view(),
        name="api-retirement-approve",
    ),
    path(
        "retirements/<int:retirement_id>/reject/",
        requests.RetirementRejectView.as_view(),
        name="api-retirement-reject",
    ),
]
