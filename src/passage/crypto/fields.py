"""Encrypted model fields and the base class for models that hold protected data.

How it fits together:

- A ``ProtectedModel`` has a random UUID primary key from the moment it is instantiated, and
  names its *key owner*: itself (a case, a safe house, a partner) or the record whose data key it
  shares (``key_owner_path = "case"`` for a note of a case).
- An encrypted field stores ``aead`` ciphertext bound to (table, column, row UUID). Values read
  from the database stay ciphertext until the attribute is first accessed; then they are
  decrypted with the data key named in the ciphertext header.
- Writing anything but our own ciphertext into an encrypted column is refused at the database
  boundary, so a ``QuerySet.update(name="...")`` or a filter on plaintext fails loudly instead of
  leaking plaintext into the database.
- Fields declared with ``blind_index="phone"`` (or handle, name, name_sound, date, exact; or a
  tuple of scopes, e.g. ``("name", "name_sound")``) also get keyed HMAC rows in
  ``crypto.BlindIndex`` for exact-match search, maintained by ``ProtectedModel.save``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query_utils import DeferredAttribute

from passage.crypto import aead, datakeys
from passage.crypto.exceptions import CryptoError, KeyNotFound, RecordShredded
from passage.crypto.keyfiles import write_secret_file
from passage.crypto.models import ShredRecord


class Ciphertext(bytes):
    """Bytes known to be a Passage ciphertext (read from the database or just encrypted)."""


# --- Files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlainFile:
    """A file to store: assign one to an ``EncryptedFileField``."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class StoredFile:
    """A stored file's metadata; ``read()`` decrypts its content from the blob store."""

    name: str
    content_type: str
    size: int
    sha256: str
    blob_id: str
    _reader: Callable[[], bytes] = field(repr=False, compare=False)

    def read(self) -> bytes:
        return self._reader()


def blob_path(blob_id: str) -> Path:
    if len(blob_id) != 32 or not all(c in "0123456789abcdef" for c in blob_id):
        raise CryptoError("Malformed blob id.")
    root: Path = settings.BLOB_DIR
    return root / blob_id[:2] / blob_id


def delete_blobs(blob_ids: list[str]) -> None:
    for blob_id in blob_ids:
        blob_path(blob_id).unlink(missing_ok=True)


# --- Fields ----------------------------------------------------------------------------------


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on first access; until then the instance holds only ciphertext."""

    field: EncryptedField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            # From here on the instance holds the plaintext; saving encrypts it afresh.
            value = self.field.decrypt_for(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        # A data descriptor, so reads always pass through __get__ (instance dict or not).
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.Field):  # type: ignore[type-arg]
    """Base of the encrypted fields: a nullable binary column holding ciphertext."""

    descriptor_class = EncryptedAttribute
    empty_strings_allowed = False

    def __init__(
        self, *args: Any, blind_index: str | tuple[str, ...] | None = None, **kwargs: Any
    ) -> None:
        # Always nullable: shredding leaves the row as a tombstone with these columns empty.
        kwargs["null"] = True
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", True)
        self.blind_index = blind_index
        super().__init__(*args, **kwargs)

    @property
    def blind_scopes(self) -> tuple[str, ...]:
        """The blind-index scopes of this field (empty when it is not indexed)."""
        if not self.blind_index:
            return ()
        if isinstance(self.blind_index, str):
            return (self.blind_index,)
        return tuple(self.blind_index)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        if kwargs.get("blank") is True:
            kwargs.pop("blank")
        if kwargs.get("editable") is True:
            kwargs.pop("editable")
        if self.blind_index:
            kwargs["blind_index"] = self.blind_index
        return name, path, args, kwargs

    form_class: type[forms.Field] = forms.CharField
    form_widget: type[forms.Widget] | None = None

    def get_internal_type(self) -> str:
        return "BinaryField"

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        if self.form_widget is not None:
            kwargs.setdefault("widget", self.form_widget)
        return super().formfield(form_class=form_class or self.form_class, **kwargs)

    # Subclasses turn values into bytes and back.
    def to_plain_bytes(
        self, value: Any, instance: ProtectedModel, key_id: uuid.UUID, key: bytes
    ) -> bytes:
        raise NotImplementedError

    def from_plain_bytes(self, data: bytes, instance: ProtectedModel) -> Any:
        raise NotImplementedError

    def aad_for(self, instance: ProtectedModel, suffix: str = "") -> bytes:
        return aead.associated_data(self.model._meta.db_table, self.column + suffix, instance.pk)

    def decrypt_for(self, instance: ProtectedModel, ciphertext: bytes) -> Any:
        return self.from_plain_bytes(
            decrypt_bytes(instance, ciphertext, self.aad_for(instance)), instance
        )

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return None
        return Ciphertext(bytes(value))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if not isinstance(model_instance, ProtectedModel):
            raise CryptoError(f"{type(model_instance).__name__} must be a ProtectedModel.")
        held = model_instance.__dict__.get(self.attname)
        if held is None or isinstance(held, Ciphertext):
            return held
        owner_type, owner_id = model_instance.key_owner()
        key_id, key = datakeys.current_key_for(owner_type=owner_type, owner_id=owner_id)
        plain = self.to_plain_bytes(held, model_instance, key_id, key)
        if self.blind_index:
            model_instance._blind_pending[self.name] = held
        return Ciphertext(aead.encrypt(key, key_id, plain, self.aad_for(model_instance)))

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return bytes(value)
        # Plaintext must never reach the database, whatever path it took (update(), filter()...).
        raise CryptoError(
            f"Refusing to write or compare plaintext in encrypted column {self.name}."
        )

    def value_to_string(self, obj: models.Model) -> str:
        raise CryptoError("Encrypted fields are not serialised; use an encrypted backup.")


def decrypt_bytes(instance: ProtectedModel, ciphertext: bytes, aad: bytes) -> bytes:
    """Decrypt ``ciphertext`` of ``instance``; RecordShredded if its key was destroyed."""
    try:
        key = datakeys.key_by_id(aead.key_id_of(ciphertext))
    except KeyNotFound:
        _, owner_id = instance.key_owner()
        if ShredRecord.objects.filter(owner_id=owner_id).exists():
            raise RecordShredded(f"Record {owner_id} was shredded.") from None
        raise
    return aead.decrypt(key, ciphertext, aad)


class EncryptedTextField(EncryptedField):
    """Text, encrypted. ``blind_index`` makes it searchable by exact (normalised) match."""

    def to_plain_bytes(
        self, value: Any, instance: ProtectedModel, key_id: uuid.UUID, key: bytes
    ) -> bytes:
        if not isinstance(value, str):
            raise CryptoError(f"{self.name} takes text.")
        return value.encode("utf-8")

    def from_plain_bytes(self, data: bytes, instance: ProtectedModel) -> str:
        return data.decode("utf-8")

    form_class = forms.CharField
    form_widget = forms.Textarea


class EncryptedJSONField(EncryptedField):
    """Any JSON value (dict, list, str, number, bool), encrypted."""

    def to_plain_bytes(
        self, value: Any, instance: ProtectedModel, key_id: uuid.UUID, key: bytes
    ) -> bytes:
        try:
            return json.dumps(
                value, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ).encode()
        except (TypeError, ValueError):
            raise CryptoError(f"{self.name} takes JSON-serialisable values.") from None

    def from_plain_bytes(self, data: bytes, instance: ProtectedModel) -> Any:
        return json.loads(data)

    form_class = forms.JSONField


class EncryptedFileField(EncryptedField):
    """A file encrypted on disk under the data directory; its name and type only in ciphertext.

    The column holds encrypted metadata (blob id, original name, type, size, SHA-256); the blob
    file holds the encrypted content, bound to the same row and column.
    """

    def to_plain_bytes(
        self, value: Any, instance: ProtectedModel, key_id: uuid.UUID, key: bytes
    ) -> bytes:
        if isinstance(value, StoredFile):  # unchanged file, re-sealed metadata only
            meta = {
                "blob": value.blob_id,
                "name": value.name,
                "type": value.content_type,
                "size": value.size,
                "sha256": value.sha256,
            }
            return json.dumps(meta, sort_keys=True).encode()
        if not isinstance(value, PlainFile):
            raise CryptoError(f"{self.name} takes a PlainFile.")
        blob_id = uuid.uuid4().hex
        sealed = aead.encrypt(
            key, key_id, value.content, self.aad_for(instance, f"#blob:{blob_id}")
        )
        path = blob_path(blob_id)
        write_secret_file(path, sealed)
        meta = {
            "blob": blob_id,
            "name": value.name,
            "type": value.content_type,
            "size": len(value.content),
            "sha256": hashlib.sha256(value.content).hexdigest(),
        }
        return json.dumps(meta, sort_keys=True).encode()

    def from_plain_bytes(self, data: bytes, instance: ProtectedModel) -> StoredFile:
        meta = json.loads(data)
        blob_id = str(meta["blob"])

        def reader() -> bytes:
            try:
                sealed = blob_path(blob_id).read_bytes()
            except FileNotFoundError:
                raise KeyNotFound(
                    "The file's encrypted content is missing from the blob store."
                ) from None
            return decrypt_bytes(instance, sealed, self.aad_for(instance, f"#blob:{blob_id}"))

        return StoredFile(
            name=str(meta["name"]),
            content_type=str(meta["type"]),
            size=int(meta["size"]),
            sha256=str(meta["sha256"]),
            blob_id=blob_id,
            _reader=reader,
        )

    form_class = forms.FileField


# --- The base model ------------------------------------------------------------------------


class ProtectedModel(models.Model):
    """A model with encrypted fields.

    ``key_owner_path`` is None when the record has a data key of its own, or the path of
    foreign keys (``"case"``, ``"person__case"``) to the record whose key it uses.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    key_owner_path: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._blind_pending: dict[str, Any] = {}

    def save(self, *args: Any, **kwargs: Any) -> None:
        from passage.crypto import blind

        self._blind_pending = {}
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if self._blind_pending:
                blind.index_row(self, self._blind_pending)
        self._blind_pending = {}

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from passage.crypto import blind

        with transaction.atomic(using=kwargs.get("using")):
            blind.drop_row(self)
            return super().delete(*args, **kwargs)

    @classmethod
    def key_owner_model(cls) -> type[models.Model]:
        model: type[models.Model] = cls
        if cls.key_owner_path:
            for part in cls.key_owner_path.split("__"):
                related = model._meta.get_field(part).related_model
                if not isinstance(related, type):
                    raise CryptoError(f"{cls.__name__}.key_owner_path does not lead to a model.")
                model = related
        return model

    def key_owner(self) -> tuple[str, uuid.UUID]:
        """(model label, UUID) of the record whose data key encrypts this row."""
        if not self.key_owner_path:
            return self._meta.label_lower, self.pk
        obj: Any = self
        parts = self.key_owner_path.split("__")
        for part in parts[:-1]:
            obj = getattr(obj, part)
        owner_id = getattr(obj, f"{parts[-1]}_id")
        if owner_id is None:
            raise CryptoError(f"{type(self).__name__} has no key owner yet.")
        return self.key_owner_model()._meta.label_lower, owner_id

    @classmethod
    def encrypted_fields(cls) -> list[EncryptedField]:
        return [f for f in cls._meta.concrete_fields if isinstance(f, EncryptedField)]


def protected_models() -> list[type[ProtectedModel]]:
    """Every installed concrete model with encrypted fields."""
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if issubclass(m, ProtectedModel) and not m._meta.abstract and m.encrypted_fields()
    ]


def owner_filter(
    model: type[ProtectedModel], owner_type: str, owner_id: uuid.UUID
) -> dict[str, Any] | None:
    """The filter selecting ``model`` rows encrypted under the owner's keys, or None."""
    if model.key_owner_model()._meta.label_lower != owner_type:
        return None
    if not model.key_owner_path:
        return {"pk": owner_id}
    return {model.key_owner_path: owner_id}


__all__ = [
    "Ciphertext",
    "EncryptedField",
    "EncryptedFileField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "PlainFile",
    "ProtectedModel",
    "StoredFile",
]
