"""An evidence bundle as one PDF, with WeasyPrint, from our own frame only.

The manifest (every item's SHA-256 and the bundle's) is printed in the PDF and embedded in it
as ``manifest.json``; each item is embedded too (``testimony-1.txt``: the redacted text in
UTF-8; ``file-1.pdf``: the file as stored), so a recipient can recompute every hash from the
PDF alone. Nothing is fetched (the dossiers renderer's refusing fetcher and quiet logging).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from passage.dossiers.pdf import _no_fetch, _quiet


@dataclass(frozen=True)
class Item:
    """One thing in the bundle: its name in the PDF, its bytes and, for a testimony, the
    redacted text to print."""

    name: str
    kind: str  # "testimony" or "file"
    data: bytes
    text: str = ""
    content_type: str = "text/plain"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def manifest(*, bundle_id: str, purpose: str, made_at: str, items: list[Item]) -> dict[str, Any]:
    """Each item's name, kind, size and SHA-256; ``bundle_sha256`` is the SHA-256 of the
    canonical JSON (sorted keys, no spaces, UTF-8) of the ``items`` list."""
    listed = [
        {"name": i.name, "kind": i.kind, "size": len(i.data), "sha256": sha256(i.data)}
        for i in items
    ]
    return {
        "bundle": bundle_id,
        "purpose": purpose,
        "made_at": made_at,
        "items": listed,
        "bundle_sha256": sha256(canonical(listed)),
    }


def render(*, title: str, purpose_label: str, items: list[Item], facts: dict[str, Any]) -> bytes:
    """The PDF: title, purpose, each testimony's redacted text, the file list, the manifest
    (printed and embedded), and every item embedded."""
    _quiet()
    from weasyprint import HTML, Attachment  # imported on use: it loads Pango

    _quiet()
    html = render_to_string(
        "evidence/bundle_pdf.html",
        {"title": title, "purpose": purpose_label, "items": items, "manifest": facts},
    )
    attachments = [
        Attachment(string=item.data, name=item.name, url_fetcher=_no_fetch) for item in items
    ]
    attachments.append(
        Attachment(
            string=json.dumps(facts, indent=2, sort_keys=True).encode(),
            name="manifest.json",
            url_fetcher=_no_fetch,
        )
    )
    document = HTML(string=html, url_fetcher=_no_fetch, base_url=None)
    data = document.write_pdf(attachments=attachments)
    assert isinstance(data, bytes)  # noqa: S101 - write_pdf without a target returns bytes
    return data
