"""``/.well-known/jwks.json``: the public keys that verify the credentials the portal signs
(``imaportal.signing``). Public, cacheable for an hour: a rotated key is published before
it signs anything, and an old one stays listed until it is removed on purpose."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from imaportal.signing import public_jwks


@require_GET
@cache_control(public=True, max_age=3600)
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(public_jwks(), content_type="application/jwk-set+json")
    response["Access-Control-Allow-Origin"] = "*"  # any verifier may fetch it from a browser
    return response
