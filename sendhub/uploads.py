"""Uploaded files: kept in private storage (never served from a public URL) and checked by
size, extension and content (the file's own magic bytes, read with puremagic)."""

import functools
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, InMemoryStorage

# Extensions SendHub accepts, and the extensions their content may be identified as.
ALLOWED = {
    "pdf": {".pdf"},
    "docx": {".docx", ".zip"},
    "pptx": {".pptx", ".docx", ".zip"},
    "xlsx": {".xlsx", ".docx", ".zip"},
    "png": {".png"},
    "jpg": {".jpg", ".jpeg", ".jfif"},
    "jpeg": {".jpg", ".jpeg", ".jfif"},
    "txt": set(),  # plain text has no magic bytes: checked as UTF-8 without NULs instead
    "csv": set(),
}


def private_storage():
    """MEDIA_ROOT/private on disk (in memory under the test settings); no base URL, so a
    file can only reach a browser through a view that checks who is asking. A callable, so
    migrations name it rather than freeze a location."""
    if settings.STORAGES["default"]["BACKEND"].endswith("InMemoryStorage"):
        return _memory_storage()
    return FileSystemStorage(location=os.path.join(str(settings.MEDIA_ROOT), "private"))


@functools.cache
def _memory_storage() -> InMemoryStorage:
    return InMemoryStorage(location="private")


def validate_upload(upload) -> str:
    """Refuse a file that is too big, of a type SendHub does not take, or whose content is
    not what its name says. Returns the content type to store."""
    import puremagic

    limit = settings.SENDHUB_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(f"The file is larger than {settings.SENDHUB_MAX_UPLOAD_MB} MB.")
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        allowed = ", ".join(sorted(ALLOWED))
        raise ValidationError(f"Files of this type cannot be uploaded. Allowed: {allowed}.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not ALLOWED[extension]:
        if b"\x00" in head:
            raise ValidationError("This does not look like a text file.")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if len(head) < 8192 or error.start < len(head) - 4:
                raise ValidationError("Text files must be UTF-8.") from error
        return "text/csv" if extension == "csv" else "text/plain"
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    found = {m.extension.lower() for m in matches}
    if not found & ALLOWED[extension]:
        raise ValidationError(f"The file's content is not a .{extension} file.")
    if extension in OFFICE_FOLDERS:
        _check_office_zip(upload, OFFICE_FOLDERS[extension])
    return CONTENT_TYPES[extension]


# Office Open XML files are zips with a content-types part and a folder of their own kind.
OFFICE_FOLDERS = {"docx": "word/", "pptx": "ppt/", "xlsx": "xl/"}
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def _check_office_zip(upload, folder: str) -> None:
    """A real Word/PowerPoint/Excel file, not any zip; and not a zip bomb."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ValidationError("This file is damaged or not an Office document.") from error
    finally:
        upload.seek(0)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
        raise ValidationError("This is not the kind of Office document its name says.")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise ValidationError("This document unpacks to more than 200 MB.")
