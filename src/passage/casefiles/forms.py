"""The upload form, also meant to be embedded in other forms (a contact, a note).

``CaseFileUploadForm.for_request(request, prefix=...)`` binds it to a POST with its files and
with the reasons the upload handler refused files (too big, too many): those show next to the
file field, since a refused file is simply missing from ``request.FILES``. A valid form's
``cleaned_data["file"]`` is a ``CheckedUpload`` (type checked by content, metadata stripped)
or None (optional form, nothing chosen); pass it to ``services.case_file_add``.

A template embedding it must use ``enctype="multipart/form-data"``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from passage.casefiles import services
from passage.core.uploads import refusal_messages

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,audio/*"


def _help() -> str:
    megabytes = max(1, settings.PASSAGE_UPLOAD_FILE_BYTES // (1024 * 1024))
    return str(
        _(
            "A picture (JPEG, PNG, WebP), a PDF or a sound recording, at most %(size)s MB. "
            "Location, camera and author details are removed before it is stored encrypted."
        )
        % {"size": megabytes}
    )


class CaseFileUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the file is, for colleagues. Stored encrypted."),
    )

    def __init__(
        self,
        *args: Any,
        refusals: list[str] | None = None,
        required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.refusals = list(refusals or [])
        field = self.fields["file"]
        field.required = required
        field.help_text = _help()

    @classmethod
    def for_request(cls, request: HttpRequest, **kwargs: Any) -> CaseFileUploadForm:
        """Bound to a POST (with its files and refusals), unbound otherwise."""
        if request.method != "POST":
            return cls(**kwargs)
        return cls(request.POST, request.FILES, refusals=refusal_messages(request), **kwargs)

    def clean_file(self) -> services.CheckedUpload | None:
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return None
        try:
            return services.check_upload(
                services.Upload(name=upload.name or "", data=upload.read())
            )
        except services.FileRefused as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from None

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.refusals:
            # The handler dropped the file: say why, instead of "this field is required".
            self.errors.pop("file", None)
            self.add_error("file", self.refusals)
