"""Moving rows from one key owner to another (e.g. when two cases are merged).

The rows of the old owner are decrypted with its key and, once the caller has pointed them at
the new owner, saved: ``pre_save`` encrypts every value under the new owner's data key and the
blind indexes are rebuilt with the new owner. Files are read and sealed into fresh blobs; the
old blobs are deleted after commit. Afterwards the old owner can be shredded without losing
what moved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.db.models import QuerySet

from passage.crypto.fields import (
    EncryptedFileField,
    PlainFile,
    ProtectedModel,
    StoredFile,
    owner_filter,
    protected_models,
)


def rows_of_owner(
    owner_type: str, owner_id: uuid.UUID
) -> Iterator[tuple[type[ProtectedModel], QuerySet[ProtectedModel]]]:
    """Each model's rows encrypted under the owner's keys, the owner's own row excluded;
    models whose rows sit directly on the owner come before those reached through another row."""
    found = []
    for model in protected_models():
        if not model.key_owner_path:
            continue
        selector = owner_filter(model, owner_type, owner_id)
        if selector is not None:
            found.append((model.key_owner_path.count("__"), model, selector))
    for _, model, selector in sorted(found, key=lambda item: (item[0], item[1]._meta.label)):
        yield model, model._default_manager.filter(**selector)


def load_plaintext(row: ProtectedModel) -> list[str]:
    """Decrypt every encrypted value of ``row`` into the instance, so its next ``save()``
    encrypts afresh under the key owner the row has then.

    Files are read and held as ``PlainFile`` (sealed into a new blob on save). Returns the ids
    of the blobs that the save makes obsolete: delete them after commit.
    """
    stale: list[str] = []
    for f in row.encrypted_fields():
        value = getattr(row, f.attname)
        if isinstance(f, EncryptedFileField) and isinstance(value, StoredFile):
            stale.append(value.blob_id)
            value = PlainFile(value.name, value.read(), value.content_type)
        row.__dict__[f.attname] = value
    return stale
