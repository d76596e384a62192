"""Audit entries (append-only, hash-chained) and the one-row chain head.

Entries are written only by ``passage.audit.services``. A database trigger (migration 0001)
refuses UPDATE and DELETE on the entries table (and TRUNCATE on PostgreSQL); the model refuses
``save()`` on an existing row and ``delete()`` before the database is even asked.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from passage.audit import chain
from passage.audit.exceptions import AppendOnly

HEAD_ID = 1


class AuditEntry(models.Model):
    """One link of the chain. No personal data: ids and codes only (see ``chain`` for the rules)."""

    # The sequence is the primary key: unique and gap-free by construction of the writer, and a
    # second writer that somehow read a stale head fails on the key instead of forking the chain.
    sequence = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    actor = models.CharField(max_length=chain.MAX_ACTOR)
    action = models.CharField(max_length=chain.MAX_ACTION)
    object_type = models.CharField(max_length=chain.MAX_OBJECT_TYPE)
    object_id = models.CharField(max_length=chain.MAX_OBJECT_ID)
    request_id = models.CharField(max_length=chain.MAX_REQUEST_ID, blank=True, default="")
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        default_permissions = ("view",)  # there is no "change" or "delete" to grant
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_entry_object_idx"),
            models.Index(fields=["actor"], name="audit_entry_actor_idx"),
            models.Index(fields=["action"], name="audit_entry_action_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="audit_entry_sequence_positive"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise AppendOnly("Audit entries are written only by passage.audit.services.record().")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries cannot be deleted.")

    def as_chain_entry(self) -> chain.Entry:
        """This row as the plain value the hash chain works on."""
        return chain.Entry(*(getattr(self, name) for name in chain.ENTRY_FIELDS))


class AuditHead(models.Model):
    """The chain head: last sequence number and hash. One row, locked by every writer."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=chain.GENESIS_HASH)

    class Meta:
        verbose_name = "audit chain head"
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=models.Q(id=HEAD_ID), name="audit_head_single_row")
        ]

    def __str__(self) -> str:
        return f"audit head seq={self.sequence}"
