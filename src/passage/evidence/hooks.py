"""What a case's shred must also destroy in evidence (``settings.PASSAGE_SHRED_HOOKS``).

A bundle has its own data key (it is given out, with its custody record, as one object), so
shredding a case does not reach its approved PDF, which still holds the case's redacted
testimony and files. This hook shreds every bundle that holds an item of the shredded case.
Idempotent: a bundle shredded already has no keys left, and replaying the ledger after a restore
runs it again.
"""

from __future__ import annotations

import uuid


def shred_bundles_of_case(owner_type: str, owner_id: uuid.UUID) -> None:
    """Shred the bundles that hold testimony or files of a shredded case."""
    if owner_type != "cases.case":
        return
    from passage.crypto import shred
    from passage.crypto.models import DataKey
    from passage.evidence.models import Bundle

    bundles = Bundle.objects.filter(items__testimony__case_id=owner_id).distinct()
    for bundle in bundles:
        if DataKey.objects.filter(owner_id=bundle.pk).exists():
            shred.shred(bundle)
