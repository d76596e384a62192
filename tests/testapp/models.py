from django.db import models

from passage.crypto.fields import (
    EncryptedFileField,
    EncryptedJSONField,
    EncryptedTextField,
    ProtectedModel,
)


class Dossier(ProtectedModel):
    """A record with a data key of its own (like a case or a safe house)."""

    region = models.CharField(max_length=40, default="north")
    name = EncryptedTextField(blind_index="name")
    phone = EncryptedTextField(blind_index="phone")
    story = EncryptedTextField()
    details = EncryptedJSONField()
    scan = EncryptedFileField()


class Note(ProtectedModel):
    """A row that uses its dossier's data key (like a note of a case)."""

    key_owner_path = "dossier"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    body = EncryptedTextField()
    handle = EncryptedTextField(blind_index="handle")
