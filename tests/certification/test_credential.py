"""The CMA credential (issue 18, Open Badges 3.0): the signed credential verifies with an
independent JOSE library (jwcrypto; the portal signs with ``cryptography`` alone) against the
keys fetched from ``/.well-known/jwks.json`` only; one changed byte breaks it; after a key
rotation old credentials verify while the old key is published and fail once it is removed;
the credential has the fields the OB 3.0 JSON schema requires and states the member's status
and hours by the one status engine."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from certification.checks import issuer_key_check
from certification.credential import Holder, open_badge
from certification.services.credential import issue_credential
from certification.services.recompute import status_of
from certification.status import Status, StatusResult, YearRow
from imaportal import signing
from tests.factories import EntryFactory, MemberFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 8, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def key_file(settings, tmp_path):
    """Each test its own generated key file."""
    settings.ISSUER_KEYS = ""
    settings.ISSUER_KEY_FILE = str(tmp_path / "keys" / "issuer-keys.json")
    settings.ISSUER_KEY_GENERATE = True
    settings.PORTAL_URL = "https://portal.ima.example"
    return tmp_path / "keys" / "issuer-keys.json"


def published_keys(client) -> jwk.JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.content)


def verify(token: str, keys: jwk.JWKSet) -> dict[str, Any]:
    """What a relying party does: the key the header names, from the published set only."""
    parsed = jws.JWS()
    parsed.deserialize(token)
    key = keys.get_key(parsed.jose_header["kid"])
    if key is None:
        raise JWException("the signing key is not published")
    parsed.verify(key, alg="EdDSA")
    return json.loads(parsed.payload)


# The properties the OB 3.0 AchievementCredential JSON schema
# (ob_v3p0_achievementcredential_schema.json) lists as required, object by object.
REQUIRED = {
    "": ["@context", "id", "type", "issuer", "validFrom", "credentialSubject", "name"],
    "issuer": ["id", "type"],
    "credentialSubject": ["type", "achievement"],
    "credentialSubject.achievement": ["id", "type", "criteria", "name"],
}


def missing_required(credential: dict[str, Any]) -> list[str]:
    missing = []
    for where, names in REQUIRED.items():
        node: Any = credential
        for part in filter(None, where.split(".")):
            node = node.get(part, {})
        missing += [f"{where}.{name}".lstrip(".") for name in names if name not in node]
    return missing


def member_with_hours():
    member = MemberFactory(
        certified_on=dt.date(2020, 3, 1), user__first_name="Zoë", user__last_name="Łukasz"
    )
    for day, hours in [(dt.date(2025, 5, 1), "31.5"), (dt.date(2026, 4, 2), "12.5")]:
        EntryFactory(
            member=member, completed_on=day, credit_hours=Decimal(hours), review_status="approved"
        )
    EntryFactory(member=member, completed_on=dt.date(2026, 6, 1), review_status="pending")
    return member


def test_the_api_credential_verifies_against_the_published_jwks(api, client, member_a):
    response = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/credential/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"credential", "jwt"}
    header = jws.JWS()
    header.deserialize(body["jwt"])
    assert header.jose_header["alg"] == "EdDSA"
    assert header.jose_header["typ"] == "vc+jwt"
    keys = published_keys(client)
    assert keys.get_key(header.jose_header["kid"]) is not None
    assert verify(body["jwt"], keys) == body["credential"]


def test_one_changed_byte_of_the_payload_fails_verification(client, member_a):
    token = issue_credential(member_a, now=NOW).jwt
    head, payload, signature = token.split(".")
    raw = bytearray(signing.b64url_decode(payload))
    at = raw.index(b'"validFrom":"2026') + len('"validFrom":"202')
    raw[at] = ord("7")  # 2026 -> 2027
    forged = f"{head}.{signing.b64url(bytes(raw))}.{signature}"
    keys = published_keys(client)
    assert verify(token, keys)["validFrom"].startswith("2026")
    with pytest.raises(JWException):
        verify(forged, keys)


def test_after_rotation_old_credentials_verify_until_the_old_key_is_removed(client, member_a):
    old = issue_credential(member_a, now=NOW).jwt
    old_kid = signing.signing_key().kid
    call_command("issuer_keys", "rotate")
    new = issue_credential(member_a, now=NOW).jwt
    new_kid = signing.signing_key().kid
    assert new_kid != old_kid
    keys = published_keys(client)
    assert {k["kid"] for k in keys.export(as_dict=True)["keys"]} == {old_kid, new_kid}
    assert verify(old, keys)["id"] != verify(new, keys)["id"]

    call_command("issuer_keys", "remove", old_kid)
    keys = published_keys(client)
    assert verify(new, keys)["credentialSubject"]["id"].startswith("urn:ima:member:")
    with pytest.raises(JWException):
        verify(old, keys)


def test_the_credential_states_status_and_hours_by_the_status_engine():
    member = member_with_hours()
    credential = issue_credential(member, now=NOW).credential
    assert missing_required(credential) == []
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"].startswith("urn:uuid:")
    assert credential["issuer"] == {
        "id": "https://portal.ima.example",
        "type": ["Profile"],
        "name": "Institute of Management Accountants",
        "url": "https://portal.ima.example",
    }
    assert credential["validFrom"] == "2026-12-08T10:30:00Z"
    assert credential["validUntil"] == "2026-12-31T23:59:59Z"
    assert credential["name"] == "Certified Management Accountant — status as of 8 December 2026"
    subject = credential["credentialSubject"]
    assert subject["id"] == f"urn:ima:member:{member.member_number}"
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Zoë Łukasz"
    assert subject["achievement"]["name"] == "Certified Management Accountant (CMA)"
    assert subject["achievement"]["criteria"]["narrative"]
    expected = status_of(member, as_of=NOW.date()).status.value
    values = {r["resultDescription"].rsplit(":", 1)[1]: r["value"] for r in subject["result"]}
    assert values == {"status": expected, "hours-2026": "12.5", "hours-2025": "31.5"}
    described = {d["id"] for d in subject["achievement"]["resultDescription"]}
    assert {r["resultDescription"] for r in subject["result"]} == described
    # Nothing else about the member: no email, birth date or entries.
    text = json.dumps(credential)
    assert member.email not in text and "1985" not in text


def test_the_builder_is_pure_and_writes_in_the_active_language(settings):
    from django.utils import translation

    result = StatusResult(
        status=Status.INACTIVE_MAKEUP,
        reasons=(),
        years=(YearRow(2025, Decimal(30), Decimal("20.0"), Decimal(0), Decimal(0), None, False),),
    )
    with translation.override("en"):
        credential = open_badge(
            holder=Holder(member_number="123", name="A B"),
            result=result,
            as_of=dt.date(2026, 1, 2),
            issued_at=NOW,
            portal_url="https://p.example/",
            credential_id="00000000-0000-4000-8000-000000000000",
        )
    assert credential["id"] == "urn:uuid:00000000-0000-4000-8000-000000000000"
    assert credential["issuer"]["id"] == "https://p.example"
    values = [r["value"] for r in credential["credentialSubject"]["result"]]
    assert values == ["inactive_makeup", "0.0", "20.0"]
    assert "Inactive (make-up)" in credential["credentialSubject"]["narrative"]


def test_staff_get_any_members_credential_and_others_get_404(api, staff, member_a, member_b):
    url = f"/api/v1/members/{member_a.pk}/credential/"
    assert api(staff).get(url).status_code == 200
    assert api(member_b.user).get(url).status_code == 404
    assert api().get(url).status_code == 401


def test_the_jwks_is_public_cacheable_and_holds_no_private_key(client):
    signing.issuer_keys()
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert key["kid"] == jwk.JWK(**key).thumbprint()  # RFC 7638, computed independently


def test_a_pem_key_from_the_environment_signs_and_publishes_only_public_halves(
    settings, client, member_a
):
    older = Ed25519PrivateKey.generate().public_key()
    newest = Ed25519PrivateKey.generate()
    settings.ISSUER_KEYS = "\n".join(
        [
            newest.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode(),
            older.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ).decode(),
        ]
    )
    settings.ISSUER_KEY_FILE = ""
    keys = published_keys(client)
    assert len(keys.export(as_dict=True)["keys"]) == 2
    published = client.get("/.well-known/jwks.json").json()["keys"]
    assert all("d" not in key for key in published)
    token = issue_credential(member_a, now=NOW).jwt
    assert verify(token, keys)["type"][1] == "OpenBadgeCredential"


def test_check_deploy_wants_an_issuer_key(settings):
    settings.ISSUER_KEY_GENERATE = False
    assert [e.id for e in issuer_key_check(None)] == ["certification.E001"]
    settings.ISSUER_KEY_FILE = ""
    assert [e.id for e in issuer_key_check(None)] == ["certification.E001"]
    settings.ISSUER_KEYS = signing.key_set_text((signing.new_key(),))
    assert issuer_key_check(None) == []
    settings.ISSUER_KEYS = signing.key_set_text((signing.new_key(),)).replace('"d"', '"e"')
    assert [e.id for e in issuer_key_check(None)] == ["certification.E001"]


def test_my_status_offers_the_credential_as_a_file(member_client, member_a, client):
    page = member_client.get("/status/")
    assert 'href="/status/credential.json"' in page.content.decode()
    response = member_client.get("/status/credential.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="cma-credential-{member_a.member_number}.json"'
    )
    body = json.loads(response.content)
    assert verify(body["jwt"], published_keys(client)) == body["credential"]


def test_without_a_key_the_credential_is_a_clear_503_and_the_jwks_is_empty(
    settings, api, member_a, member_client, client
):
    settings.ISSUER_KEY_GENERATE = False
    settings.ISSUER_KEY_FILE = ""
    settings.ISSUER_KEYS = ""
    response = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/credential/")
    assert response.status_code == 503
    assert "no signing key" in response.json()["detail"]
    page = member_client.get("/status/credential.json")
    assert page.status_code == 503
    assert "no signing key" in page.content.decode()
    assert client.get("/.well-known/jwks.json").json() == {"keys": []}
