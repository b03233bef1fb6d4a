"""Persisted operations: automatic persisted queries, and a trusted-documents mode.

Automatic persisted queries (Apollo's APQ protocol) let the front-end send only the
SHA-256 of an operation it sent before; the service remembers operations it has seen
(bounded, per process) and asks for the full text when it does not know a hash.

Trusted documents: the operations clients are known to send (the contract operations,
``trusted_documents.json``) may be sent by id — ``documentId`` or the APQ hash — and in
trusted-only mode (``EDUGRAPH_TRUSTED_DOCUMENTS_ONLY``) they are the only ones accepted,
so an attacker cannot run a query nobody registered.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources
from typing import Any

APQ_CAPACITY = 1000


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    code: str
    message: str


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def load_trusted_documents() -> dict[str, str]:
    """The registered operations, by the SHA-256 of their text."""
    text = resources.files("edugraph").joinpath("trusted_documents.json").read_text(encoding="utf-8")
    documents: dict[str, str] = json.loads(text)
    return documents


class PersistedOperations:
    def __init__(self, trusted: dict[str, str], *, trusted_only: bool, capacity: int = APQ_CAPACITY) -> None:
        self.trusted = trusted
        self.trusted_only = trusted_only
        self._seen: OrderedDict[str, str] = OrderedDict()
        self._capacity = capacity

    def resolve(self, payload: dict[str, Any]) -> Refusal | None:
        """Fill in ``payload["query"]`` from an id or hash; a Refusal when that cannot be done."""
        query = payload.get("query")
        document_id = payload.get("documentId")
        extensions = payload.get("extensions") if isinstance(payload.get("extensions"), dict) else {}
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if isinstance(document_id, str) and not query:
            found = self.trusted.get(document_id.removeprefix("sha256:"))
            if found is None:
                return Refusal(400, "PERSISTED_QUERY_NOT_FOUND", f"No trusted document has the id {document_id!r}.")
            payload["query"] = query = found
        elif isinstance(persisted, dict) and isinstance(persisted.get("sha256Hash"), str):
            digest = persisted["sha256Hash"]
            if query:
                if not isinstance(query, str) or sha256(query) != digest:
                    return Refusal(400, "PERSISTED_QUERY_HASH_MISMATCH", "The query does not match its sha256Hash.")
                if not self.trusted_only:
                    self._remember(digest, query)
            else:
                found = self.trusted.get(digest) or self._seen.get(digest)
                if found is None:
                    # The APQ protocol's answer: the client then sends the full text once.
                    return Refusal(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
                payload["query"] = query = found
        if self.trusted_only and (not isinstance(query, str) or sha256(query) not in self.trusted):
            message = "Only registered operations are accepted here: send a trusted document id."
            return Refusal(400, "OPERATION_NOT_TRUSTED", message)
        return None

    def _remember(self, digest: str, query: str) -> None:
        self._seen[digest] = query
        self._seen.move_to_end(digest)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
