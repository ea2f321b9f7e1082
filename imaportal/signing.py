"""The portal's issuer keys (Ed25519) and compact JWS signing (RFC 7515, ``alg`` ``EdDSA``,
RFC 8037), for the credentials the portal issues (Open Badges 3.0, ``certification``).

Where the keys come from (settings, read from the environment):

- ``ISSUER_KEYS`` (``IMAPORTAL_ISSUER_KEYS``): a JWK set (``{"keys": [...]}``), one JWK, or
  one or more PEM blocks (PKCS#8 private keys, or SubjectPublicKeyInfo public keys);
- else ``ISSUER_KEY_FILE`` (``IMAPORTAL_ISSUER_KEY_FILE``): a file holding the same. When
  ``ISSUER_KEY_GENERATE`` is on (``serve``'s local settings and the tests) and the file does
  not exist, one key is generated into it (mode 0600), once.

Keys are listed **newest first**: the first private key signs. Every listed key's public half
is published at ``/.well-known/jwks.json``, so credentials signed with an older key keep
verifying until that key is removed from the list (a public key alone may be listed for just
that). Each key's ``kid`` is its RFC 7638 JWK thumbprint. ``manage.py issuer_keys rotate``
puts a new key first in the key file."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.S)


class IssuerKeyError(ImproperlyConfigured):
    """No usable issuer key: none configured, or one that is not an Ed25519 key."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class IssuerKey:
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    @property
    def x(self) -> str:
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return b64url(raw)

    @property
    def kid(self) -> str:
        """The RFC 7638 thumbprint: SHA-256 of the required members, sorted, no spaces."""
        canonical = json.dumps(
            {"crv": "Ed25519", "kty": "OKP", "x": self.x}, separators=(",", ":"), sort_keys=True
        )
        return b64url(hashlib.sha256(canonical.encode("ascii")).digest())

    def public_jwk(self) -> dict[str, str]:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": self.x,
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }

    def private_jwk(self) -> dict[str, str]:
        if self.private is None:
            raise IssuerKeyError(f"Issuer key {self.kid} has no private part.")
        raw = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return {**self.public_jwk(), "d": b64url(raw)}


def new_key() -> IssuerKey:
    private = Ed25519PrivateKey.generate()
    return IssuerKey(public=private.public_key(), private=private)


def _from_jwk(jwk: dict[str, Any]) -> IssuerKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "x" not in jwk:
        raise IssuerKeyError("Issuer keys must be Ed25519 keys (kty OKP, crv Ed25519).")
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    if "d" not in jwk:
        return IssuerKey(public=public)
    private = Ed25519PrivateKey.from_private_bytes(b64url_decode(jwk["d"]))
    key = IssuerKey(public=private.public_key(), private=private)
    if key.x != jwk["x"]:
        raise IssuerKeyError("An issuer JWK's x is not the public half of its d.")
    return key


def _from_pem(block: str) -> IssuerKey:
    data = block.encode("ascii")
    if "PRIVATE" in block:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise IssuerKeyError("Issuer keys must be Ed25519 keys.")
        return IssuerKey(public=private.public_key(), private=private)
    public = serialization.load_pem_public_key(data)
    if not isinstance(public, Ed25519PublicKey):
        raise IssuerKeyError("Issuer keys must be Ed25519 keys.")
    return IssuerKey(public=public)


def parse_keys(text: str) -> tuple[IssuerKey, ...]:
    """The keys in a JWK set, one JWK or PEM blocks, newest first, without repeats."""
    text = text.strip()
    if text.startswith("{"):
        data = json.loads(text)
        found = [_from_jwk(jwk) for jwk in data.get("keys", [data])]
    else:
        found = [_from_pem(match.group(0)) for match in PEM_BLOCK.finditer(text)]
    keys: dict[str, IssuerKey] = {}
    for key in found:
        keys.setdefault(key.kid, key)
    return tuple(keys.values())


def key_set_text(keys: tuple[IssuerKey, ...]) -> str:
    """A key file's contents: the private JWKs (public ones where that is all there is)."""
    jwks = [key.private_jwk() if key.private else key.public_jwk() for key in keys]
    return json.dumps({"keys": jwks}, indent=2) + "\n"


def write_key_file(path: Path, keys: tuple[IssuerKey, ...], *, replace: bool) -> bool:
    """Write the keys to ``path`` (mode 0600) atomically; unless ``replace``, only when no file
    is there yet (two processes starting at once agree on one key). Whether it wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".issuer-keys-")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(key_set_text(keys))
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@lru_cache(maxsize=8)
def _keys_from(text: str, path: str, version: tuple[int, int, int]) -> tuple[IssuerKey, ...]:
    """Parsed once per text, or per version (inode, mtime, size) of the key file: a key file
    is always replaced by a new file, so a changed file never looks unchanged."""
    if not text and path:
        text = Path(path).read_text()
    return parse_keys(text)


def issuer_keys() -> tuple[IssuerKey, ...]:
    """The configured keys, newest first (read once per change of the settings or file)."""
    text = str(getattr(settings, "ISSUER_KEYS", "") or "")
    path = str(getattr(settings, "ISSUER_KEY_FILE", "") or "")
    if not text and not path:
        raise IssuerKeyError("Set IMAPORTAL_ISSUER_KEYS or IMAPORTAL_ISSUER_KEY_FILE.")
    version = (0, 0, 0)
    if not text:
        file = Path(path)
        if not file.exists() and getattr(settings, "ISSUER_KEY_GENERATE", False):
            write_key_file(file, (new_key(),), replace=False)
        if not file.exists():
            raise IssuerKeyError(f"The issuer key file {path} does not exist.")
        stat = file.stat()
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    keys = _keys_from(text, path, version)
    if not any(key.private for key in keys):
        raise IssuerKeyError("No issuer private key is configured.")
    return keys


def signing_key() -> IssuerKey:
    """The newest private key: the one that signs."""
    return next(key for key in issuer_keys() if key.private)


def public_jwks() -> dict[str, list[dict[str, str]]]:
    """What ``/.well-known/jwks.json`` publishes: every configured key's public half."""
    try:
        keys = issuer_keys()
    except IssuerKeyError:  # none configured: nothing to publish (check --deploy says so)
        return {"keys": []}
    return {"keys": [key.public_jwk() for key in keys]}


def canonical_json(payload: Any) -> bytes:
    """The bytes a JWS signs for a JSON payload (compact, UTF-8)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign_compact(payload: Any, *, header: dict[str, str] | None = None) -> str:
    """A compact JWS of ``payload`` (JSON) signed ``EdDSA`` with the newest issuer key; its
    protected header names the key's ``kid``, plus ``header``'s members (``typ``, ``cty``)."""
    key = signing_key()
    private = key.private
    if private is None:  # signing_key returns private keys only
        raise IssuerKeyError("No issuer private key is configured.")
    protected = {"alg": "EdDSA", "kid": key.kid, **(header or {})}
    signing_input = f"{b64url(canonical_json(protected))}.{b64url(canonical_json(payload))}"
    signature = private.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"
