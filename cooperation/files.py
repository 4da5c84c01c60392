"""Files of the working systems: transfer materials and provided information, kept as Wagtail documents.

They live in their own collection (协作机制材料) with neutral titles, and only the
departments involved may download them: the ``before_serve_document`` hook of
``wagtail_hooks`` asks ``may_download`` for any document these records use, on
top of the portal's own rule (``portal.walls.documents``), which would let any member
of staff fetch a document no page uses.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from wagtail.documents import get_document_model
from wagtail.models import Collection

from cooperation.info_requests import can_view_request
from cooperation.models import AssistanceRequest, InformationRequest, TransferMaterial
from cooperation.states import TransitionError
from cooperation.transfers import can_view_assistance, can_view_transfer

COLLECTION_NAME = "协作机制材料"


def materials_collection() -> Collection:
    """Return the collection of the working systems' files, creating it under the root when missing."""
    existing = Collection.objects.filter(name=COLLECTION_NAME).first()
    if existing is not None:
        return existing
    return Collection.get_first_root_node().add_child(name=COLLECTION_NAME)


def validate_upload(uploaded) -> None:
    """Raise TransitionError when the file's extension or size is not accepted for documents."""
    extensions = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    if extensions:
        try:
            FileExtensionValidator(extensions)(uploaded)
        except ValidationError as exc:
            raise TransitionError(f"不支持的文件类型，允许的类型：{'、'.join(extensions)}。") from exc
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit and uploaded.size > limit:
        raise TransitionError(f"文件过大，最大允许 {limit // (1024 * 1024)} MB。")


def store_upload(uploaded, *, title: str, user):
    """Return a new Wagtail document holding the uploaded file, in the working systems' collection."""
    validate_upload(uploaded)
    document = get_document_model()(title=title[:255], file=uploaded, collection=materials_collection(),
                                    uploaded_by_user=user)
    document._set_document_file_metadata()
    document.save()
    return document


def is_case_file(document) -> bool:
    """Return True when a case transfer or an answered information request carries this document."""

    if getattr(document, "pk", None) is None or document._meta.label_lower != get_document_model()._meta.label_lower:
        return False
    return (TransferMaterial.objects.filter(document=document).exists()
            or InformationRequest.objects.filter(response_document=document).exists()
            or AssistanceRequest.objects.filter(document=document).exists())


def may_download(user, document) -> bool | None:
    """Return whether the user may download a document of the working systems, or None if it is not one of ours."""

    materials = list(TransferMaterial.objects.filter(document=document).select_related("transfer"))
    requests = list(InformationRequest.objects.filter(response_document=document))
    assistance = list(AssistanceRequest.objects.filter(document=document))
    if not materials and not requests and not assistance:
        return None
    if not (user and user.is_authenticated):
        return False
    return any(can_view_transfer(user, m.transfer) for m in materials) or any(
        can_view_request(user, r) for r in requests) or any(can_view_assistance(user, a) for a in assistance)
