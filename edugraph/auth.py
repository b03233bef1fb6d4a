"""Who is asking: bearer JWTs verified with PyJWT, turned into a ``Viewer``.

Development signs tokens with a shared HS256 secret (``edugraph token``); production
verifies RS256/ES256 tokens against the identity provider's JWKS. Issuer, audience,
expiry and not-before are always checked. A request without a token is anonymous; a
request with a bad one is refused with HTTP 401 before any GraphQL runs.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from edugraph.config import Settings

ASYMMETRIC_ALGORITHMS = ["RS256", "ES256"]
DEVELOPMENT_TOKEN_TTL_S = 8 * 3600
# Verified tokens are remembered (a signature check costs more than the rest of a small
# request) for at most this long — the time PyJWT's JWKS client keeps a key set, so a
# key withdrawn by the identity provider stops working no later than it would anyway.
VERIFIED_TOKEN_TTL_S = 300.0
VERIFIED_TOKEN_CAPACITY = 1024


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    LEARNER = "learner"
    TEACHER = "teacher"
    INSTITUTION_ADMIN = "institution_admin"
    CERTIFICATION_CENTRE = "certification_centre"
    PARTNER = "partner"
    PLATFORM_ADMIN = "platform_admin"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller: a role, and the record, institution or province the role is scoped to."""

    role: Role
    subject: str | None = None
    institution: str | None = None
    province: str | None = None


ANONYMOUS = Viewer(Role.ANONYMOUS)


class InvalidToken(Exception):
    """The token cannot be trusted: say why, and answer 401."""


class VerifiedTokens:
    """Tokens whose signature and claims were checked, each until it expires (or the TTL ends).

    Only successes are kept, so a bad token is refused with a fresh reason every time; a
    remembered token is trusted only while ``now`` stays before its ``exp``, which is the
    one claim check whose answer changes with time once a token was valid.
    """

    def __init__(self, capacity: int = VERIFIED_TOKEN_CAPACITY, ttl_s: float = VERIFIED_TOKEN_TTL_S) -> None:
        self._capacity = capacity
        self._ttl_s = ttl_s
        self._entries: OrderedDict[str, tuple[float, Viewer]] = OrderedDict()

    def get(self, token: str, now: float) -> Viewer | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        until, viewer = entry
        if now >= until:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return viewer

    def remember(self, token: str, viewer: Viewer, *, expires_at: float, now: float) -> None:
        self._entries[token] = (min(expires_at, now + self._ttl_s), viewer)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._verified = VerifiedTokens()
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True) if settings.jwt_jwks_url else None
        # The shared secret is for development only: production trusts the identity provider alone.
        secret = settings.jwt_secret
        self._secret = secret.get_secret_value() if secret is not None and not settings.production else None

    def viewer_for(self, authorization: str | None) -> Viewer:
        """The caller an ``Authorization`` value names (HTTP header or WebSocket
        connection_init payload): anonymous without one, ``InvalidToken`` if it is bad."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("expected 'Authorization: Bearer <token>'")
        return self.verify(token.strip())

    def verify(self, token: str) -> Viewer:
        now = time.time()
        known = self._verified.get(token, now)
        if known is not None:
            return known
        viewer, expires_at = self._verify(token)
        self._verified.remember(token, viewer, expires_at=expires_at, now=now)
        return viewer

    def _verify(self, token: str) -> tuple[Viewer, float]:
        try:
            key, algorithms = self._key_for(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                options={"require": ["exp", "iss", "aud", "sub", "role"]},
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(str(error)) from None
        viewer = Viewer(
            role=role, subject=claims["sub"], institution=claims.get("institution"), province=claims.get("province")
        )
        return viewer, float(claims["exp"])

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        algorithm = jwt.get_unverified_header(token).get("alg")
        if algorithm == "HS256" and self._secret is not None:
            return self._secret, ["HS256"]
        if algorithm in ASYMMETRIC_ALGORITHMS and self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key, ASYMMETRIC_ALGORITHMS
        raise InvalidToken(f"tokens signed with {algorithm!r} are not accepted here")


def development_token(
    settings: Settings,
    *,
    role: Role,
    subject: str | None = None,
    institution: str | None = None,
    province: str | None = None,
    ttl_s: int = DEVELOPMENT_TOKEN_TTL_S,
) -> str:
    """An HS256 token for local use; refused where no development secret is configured."""
    if settings.jwt_secret is None or settings.production:
        raise InvalidToken("no development secret is configured (EDUGRAPH_JWT_SECRET, not in production)")
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject or role.value,
        "role": role.value,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_s,
    }
    if institution is not None:
        claims["institution"] = institution
    if province is not None:
        claims["province"] = province
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")
