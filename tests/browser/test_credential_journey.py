"""A member downloads their CMA credential from My status in Chromium: a JSON file whose
signed JWS verifies (jwcrypto) with the key the portal publishes at /.well-known/jwks.json."""

import json
import urllib.request

import pytest
from jwcrypto import jwk, jws

from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_downloads_a_credential_that_verifies(page, live_server, tmp_path):
    member = MemberFactory(user__email="kari@example.org")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("link", name="My status").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my CMA credential").click()
    download = info.value
    assert download.suggested_filename == f"cma-credential-{member.member_number}.json"
    saved = tmp_path / "credential.json"
    download.save_as(saved)
    body = json.loads(saved.read_text())

    with urllib.request.urlopen(f"{live_server.url}/.well-known/jwks.json") as answer:  # noqa: S310
        keys = jwk.JWKSet.from_json(answer.read())
    token = jws.JWS()
    token.deserialize(body["jwt"])
    token.verify(keys.get_key(token.jose_header["kid"]), alg="EdDSA")
    assert json.loads(token.payload) == body["credential"]
    assert body["credential"]["credentialSubject"]["id"] == f"urn:ima:member:{member.member_number}"
