"""Emergency key destruction: two admins agree, then this server's keys are destroyed.

The lockdown state itself lives in ``passage.accounts`` (sign-in and every export check it);
this app holds the key-destruction proposals and the pages of both (docs/lockdown.md).
Plaintext: ids and times only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class KeyDestruction(models.Model):
    """A proposal to destroy this server's keys, confirmed by a second admin within 10 minutes.

    ``confirmed_at`` is when the destruction was ordered (the files go when that commits);
    ``files_destroyed`` how many key files were overwritten and removed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    files_destroyed = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["confirmed_at", "cancelled_at"], name="lockdown_kd_open")]

    def __str__(self) -> str:
        return f"key destruction {self.id}"
