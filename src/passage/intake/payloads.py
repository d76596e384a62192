"""What goes inside a seal: small versioned JSON documents, and files with a JSON header.

The intake tier builds these and seals them at once; the console tier opens and parses them.
"""

from __future__ import annotations

import json
import struct
from dataclasses import asdict, dataclass, field
from typing import Any

from passage.crypto import sealed

VERSION = 1


@dataclass(frozen=True)
class FirstStep:
    country: str
    urgency: str
    language: str
    contact_phrase: str


@dataclass(frozen=True)
class Story:
    name: str = ""
    contact_kind: str = ""  # "" = only through the mailbox
    contact_value: str = ""
    region: str = ""
    happened: str = ""
    fears: str = ""
    situations: list[str] = field(default_factory=list)
    passport: str = ""
    people: int | None = None


@dataclass(frozen=True)
class Message:
    text: str


@dataclass(frozen=True)
class SealedFile:
    name: str
    kind: str
    content_type: str
    data: bytes


def seal_document(document: FirstStep | Story | Message) -> tuple[bytes, str]:
    """Seal a document; returns the sealed bytes and the intake key id."""
    body = {"v": VERSION, "type": type(document).__name__, **asdict(document)}
    box = sealed.seal(json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return box, sealed.key_id_of(box)


def seal_file(upload: SealedFile) -> tuple[bytes, str]:
    header = json.dumps(
        {
            "v": VERSION,
            "type": "File",
            "name": upload.name,
            "kind": upload.kind,
            "content_type": upload.content_type,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    box = sealed.seal(struct.pack(">I", len(header)) + header + upload.data)
    return box, sealed.key_id_of(box)


def open_document(box: bytes) -> dict[str, Any]:
    """Open a sealed document (console tier only: the intake tier has no private key)."""
    plain = sealed.open_sealed(bytes(box))
    if plain[:1] != b"{":
        (length,) = struct.unpack(">I", plain[:4])
        header: dict[str, Any] = json.loads(plain[4 : 4 + length])
        header["data"] = plain[4 + length :]
        return header
    document: dict[str, Any] = json.loads(plain)
    return document
