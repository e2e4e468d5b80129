"""Files and media objects: generated file_ids and realistic Telegram payloads."""

from __future__ import annotations

from typing import Any

from .models import FileRecord

# kind -> (file_id prefix, folder for getFile paths, extension, default size in bytes)
_KINDS: dict[str, tuple[str, str, str, int]] = {
    "voice": ("AwACAgUAAxkBAAI", "voice", "oga", 9_812),
    "audio": ("CQACAgUAAxkBAAI", "music", "mp3", 512_000),
    "photo": ("AgACAgUAAxkBAAI", "photos", "jpg", 64_512),
    "video": ("BAACAgUAAxkBAAI", "videos", "mp4", 1_048_576),
    "video_note": ("DQACAgUAAxkBAAI", "video_notes", "mp4", 302_114),
    "document": ("BQACAgUAAxkBAAI", "documents", "pdf", 20_480),
    "sticker": ("CAACAgUAAxkBAAI", "stickers", "webp", 18_044),
}
MEDIA_KINDS = frozenset(_KINDS)
_PHOTO_SIZES = ((90, 67), (320, 240), (800, 600))


class FileStore:
    """file_id -> FileRecord. Uploaded bytes are kept up to a budget, then only sizes."""

    __slots__ = ("_by_id", "_by_path", "_seq", "byte_budget")

    def __init__(self, byte_budget: int = 32 * 1024 * 1024) -> None:
        self._by_id: dict[str, FileRecord] = {}
        self._by_path: dict[str, str] = {}
        self._seq = 0
        self.byte_budget = byte_budget

    def new(self, kind: str, size: int | None = None, content: bytes | None = None) -> FileRecord:
        prefix, folder, ext, default_size = _KINDS.get(kind, _KINDS["document"])
        self._seq += 1
        seq = self._seq
        if content is not None:
            size = len(content)
            if size <= self.byte_budget:
                self.byte_budget -= size
            else:
                content = None
        record = FileRecord(
            file_id=f"{prefix}{seq:08d}",
            file_unique_id=f"AgAD{seq:08d}",
            kind=kind,
            size=default_size if size is None else size,
            path=f"{folder}/file_{seq}.{ext}",
            content=content,
        )
        self._by_id[record.file_id] = record
        self._by_path[record.path] = record.file_id
        return record

    def get(self, file_id: str) -> FileRecord | None:
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> FileRecord | None:
        file_id = self._by_path.get(path)
        return self._by_id.get(file_id) if file_id else None

    def content(self, record: FileRecord) -> bytes:
        """Stored bytes, or zeros of the recorded size (capped) for made-up files."""
        if record.content is not None:
            return record.content
        return bytes(min(record.size, 1024 * 1024))


def _base(record: FileRecord) -> dict[str, Any]:
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": record.size,
    }


def build_media(kind: str, store: FileStore, record: FileRecord, opts: dict[str, Any]) -> Any:
    """The Telegram object for `kind` (Voice, Sticker, list of PhotoSize, ...)."""
    body = _base(record)
    duration = int(opts.get("duration") or 3)
    if kind == "voice":
        body.update(duration=duration, mime_type="audio/ogg")
    elif kind == "audio":
        body.update(duration=duration, mime_type="audio/mpeg")
        body.update({k: opts[k] for k in ("title", "performer") if opts.get(k)})
    elif kind == "video":
        body.update(duration=duration, width=640, height=360, mime_type="video/mp4")
    elif kind == "video_note":
        body.update(duration=duration, length=240)
    elif kind == "document":
        body.update(
            file_name=opts.get("file_name") or record.path.rsplit("/", 1)[-1],
            mime_type=opts.get("mime_type") or "application/octet-stream",
        )
    elif kind == "sticker":
        body.update(
            type="regular", width=512, height=512, is_animated=False, is_video=False,
            emoji=opts.get("emoji") or "👍", set_name="TongbanTestStickers",
        )  # fmt: skip
    elif kind == "photo":
        return _photo_sizes(store, record)
    return body


def _photo_sizes(store: FileStore, largest: FileRecord) -> list[dict[str, Any]]:
    """Telegram sends a photo as several sizes; the last one is the original."""
    sizes = []
    for width, height in _PHOTO_SIZES[:-1]:
        small = store.new("photo", size=width * height // 8)
        sizes.append({**_base(small), "width": width, "height": height})
    width, height = _PHOTO_SIZES[-1]
    sizes.append({**_base(largest), "width": width, "height": height})
    return sizes
