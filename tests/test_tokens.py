"""Verified tokens are remembered until they expire; refused ones never are."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from edugraph import auth
from edugraph.auth import ANONYMOUS, InvalidToken, Role, TokenVerifier, VerifiedTokens, Viewer
from edugraph.config import Settings

SECRET = "test-token-cache-secret-0123456789abcdef"


def token(**overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": "edugraph", "aud": "edugraph-api", "sub": "lrn_1", "role": "learner", "exp": now + 600}
    return jwt.encode({**claims, **overrides}, SECRET, algorithm="HS256")


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signature PyJWT checks."""
    calls: list[str] = []
    original = jwt.decode

    def counting(encoded: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(encoded)
        return original(encoded, *args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", counting)
    return calls


def test_a_token_seen_before_is_not_verified_again(decodes: list[str]) -> None:
    verifier = TokenVerifier(Settings(EDUGRAPH_JWT_SECRET=SECRET))
    signed = token()
    viewers = [verifier.verify(signed) for _ in range(3)]
    assert viewers == [Viewer(Role.LEARNER, subject="lrn_1")] * 3
    assert decodes == [signed]


def test_a_remembered_token_is_checked_again_once_it_expires(
    decodes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = TokenVerifier(Settings(EDUGRAPH_JWT_SECRET=SECRET))
    now = time.time()
    signed = token(exp=int(now) + 5)
    verifier.verify(signed)
    verifier.verify(signed)
    monkeypatch.setattr(auth.time, "time", lambda: now + 10)
    verifier.verify(signed)  # PyJWT's own clock still says valid; ours says check again
    assert decodes == [signed, signed]


def test_a_refused_token_is_checked_again_every_time(decodes: list[str]) -> None:
    verifier = TokenVerifier(Settings(EDUGRAPH_JWT_SECRET=SECRET))
    forged = token()[:-4] + "AAAA"
    for _ in range(2):
        with pytest.raises(InvalidToken):
            verifier.verify(forged)
    assert decodes == [forged, forged]


def test_remembered_tokens_are_bounded_and_last_at_most_the_ttl() -> None:
    tokens = VerifiedTokens(capacity=2, ttl_s=60)
    for name in ("a", "b", "c"):
        tokens.remember(name, ANONYMOUS, expires_at=1_000_000, now=0)
    assert tokens.get("a", now=1) is None
    assert tokens.get("c", now=1) == ANONYMOUS
    assert tokens.get("c", now=61) is None
