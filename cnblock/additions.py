"""What `source add` and `add` put into a user's file: the record built from the command's
values, appended to the file's text, and the whole merged log loaded from that draft before
anything is written. Nothing here writes: the command hands the draft to `cnblock.output`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from cnblock import curate, loader, texts
from cnblock.errors import CnblockError, DataError, DraftError
from cnblock.model import EventLog


class Draft(NamedTuple):
    """A user's file as it will be: its path, its new text, whether it is new, and the log
    loaded with it."""

    path: str
    document: str
    created: bool
    log: EventLog
    original: str = ""  # the text the draft was made from


def target_file(to: str | None, user_files: list[str]) -> str:
    """The file that `add` and `source add` write: --to, else the user's first file (the first
    --data, else the first of CNBLOCK_DATA), else ./cnblock.yaml, which the other commands
    load from the current folder."""
    if to:
        return to
    return user_files[0] if user_files else loader.LOCAL_FILE


def paths_with(files: list[str], target: str) -> list[str]:
    """The files to load with the target among them (once, under any spelling)."""
    same = os.path.realpath(target)
    if any(os.path.realpath(f) == same for f in files):
        return [target if os.path.realpath(f) == same else f for f in files]
    return [*files, target]


def current(files: list[str], target: str) -> EventLog:
    """The merged log as it is, the target included when it exists: DataError, with the
    problems in the files as they are on disk, when it does not load."""
    paths = paths_with(files, target)
    if not os.path.lexists(target):
        paths = [p for p in paths if p != target]
    return loader.load(paths)


def draft(files: list[str], target: str, section: str, record: dict[str, Any]) -> Draft:
    """The target with `record` appended to `section`, checked by loading every file with it;
    DraftError (nothing to write) when anything in the merged log is wrong. The target must
    load as it is (see `current`)."""
    created = not os.path.lexists(target)
    old = "" if created else loader.read_text(target)
    document = curate.append(old, section, record, loader.SCHEMA)
    try:
        log = loader.load(paths_with(files, target), drafts={target: document})
    except DataError as exc:
        raise DraftError(exc.problems, {target: document}) from None
    return Draft(target, document, created, log, old)


class Registered(NamedTuple):
    """A text as `source add` registers it."""

    sha256: str
    lines: int
    language: str


def examine_text(path: str) -> tuple[Registered, str]:
    """The fingerprint, line count and likely language of a text given to `source add`, and
    the text; a CnblockError of one line when it is not a UTF-8 text of reasonable size."""
    import hashlib

    try:
        raw = texts.read_bytes(path, texts.MAX_TEXT_BYTES, "a text")
        text = texts.decode(raw, path)
    except DataError as exc:
        (problem,) = exc.problems
        where = problem.location
        at = f"{path}:{where.line}:{where.col}" if where.line > 1 or where.col > 1 else path
        raise CnblockError(f"{at}: {problem.message}") from None
    if not text.strip():
        raise CnblockError(f"{path}: is empty; a source needs a text to cite")
    digest = hashlib.sha256(raw).hexdigest()
    return Registered(digest, len(texts.split(text)), guess_language(text)), text


def guess_language(text: str) -> str:
    """The language a text is most likely in, by its script: ja (kana), ko (Hangul), zh (Han),
    en (Latin letters), `und` (undetermined) otherwise. Latin letters turn up in any article
    (names, tickers), so another script wins unless it is rare."""
    ko = ja = zh = latin = 0
    for char in text[:20000]:
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF:
            ko += 1
        elif 0x3040 <= code <= 0x30FF:
            ja += 1
        elif 0x4E00 <= code <= 0x9FFF:
            zh += 1
        elif char.isascii() and char.isalpha():
            latin += 1
    if ja and ja + zh > ko and (ja + zh) * 4 >= latin:
        return "ja"
    for language, count in sorted((("ko", ko), ("zh", zh)), key=lambda pair: -pair[1]):
        if count and count * 4 >= latin:
            return language
    return "en" if latin else "und"


def text_path(text: str, target: str) -> str:
    """How the target file records the text: a path from the target's folder (with forward
    slashes, so the file works on every system), or absolute when there is none (another
    drive on Windows)."""
    folder = Path(target).absolute().parent
    try:
        relative = os.path.relpath(Path(text).absolute(), folder)
    except ValueError:
        return str(Path(text).absolute())
    return Path(relative).as_posix()


_CITE = re.compile(r"(?P<source>[^:]+):(?P<line>[0-9]+)(?::(?P<start>[0-9]+)-(?P<end>[0-9]+))?")


def citation(log: EventLog, cite: str, folder: Path | None) -> dict[str, Any]:
    """A citation record from `SOURCE:LINE` or `SOURCE:LINE:START-END` (code-point offsets
    in the line, end exclusive), its digest computed from the text at hand; CnblockError
    saying what is wrong (an unknown source, a line outside the text, a span outside its
    line, a text not at hand for a span)."""
    from cnblock.provenance import find_texts, phrase_digest
    from cnblock.suggest import did_you_mean

    match = _CITE.fullmatch(cite)
    if not match:
        raise CnblockError(
            f"--cite '{cite}': write SOURCE:LINE or SOURCE:LINE:START-END, like mine:12:0-20"
        )
    source_id, line = match["source"], int(match["line"])
    if source_id not in log.sources:
        near = did_you_mean(source_id, log.sources)
        raise CnblockError(f"--cite '{cite}': unknown source '{source_id}'{near}")
    source = log.sources[source_id]
    record: dict[str, Any] = {"source": source_id, "line": line}
    problems: list[Any] = []
    lines = find_texts(log._replace(sources={source_id: source}), folder, problems).lines.get(
        source_id
    )
    if problems:
        raise CnblockError(f"--cite '{cite}': {problems[0].message}")
    count = len(lines) if lines is not None else source.lines
    if line < 1 or (count is not None and line > count):
        raise CnblockError(f"--cite '{cite}': line {line} is outside the text ({count} lines)")
    if lines is not None and not lines[line - 1].strip():
        raise CnblockError(f"--cite '{cite}': line {line} is blank")
    if match["start"] is None:
        return record
    start, end = int(match["start"]), int(match["end"])
    if lines is None:
        raise CnblockError(
            f"--cite '{cite}': the text of {source_id} is not at hand to compute the span's"
            " digest (see: cnblock validate)"
        )
    text = lines[line - 1]
    if not start < end <= len(text):
        raise CnblockError(
            f"--cite '{cite}': span {start}-{end} is outside line {line}"
            f" ({len(text)} characters; the span counts from 0, its end excluded)"
        )
    return record | {"span": [start, end], "digest": phrase_digest(text[start:end])}


def event_id(title: str, taken: set[str]) -> str:
    """An id made of the title's first words (ASCII letters and digits), unique in `taken`."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)[:6]
    base = "-".join(words) or "event"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def check_new_event(draft: Draft, event_id: str, folder: Path | None) -> None:
    """The new event against the texts at hand (lines, spans, the year stated): DraftError
    with its problems, so that nothing is written."""
    from cnblock import provenance

    (event,) = [e for e in draft.log.events if e.id == event_id]
    problems: list[Any] = []
    found = provenance.find_texts(draft.log, folder, problems).lines
    problems = provenance.check_event(event, found, draft.log)
    problems += provenance.check_spans(event, found, draft.log)
    if problems:
        raise DraftError(problems, {draft.path: draft.document})


def still_as_read(draft: Draft) -> None:
    """CnblockError when the target changed since the draft was made from it (another editor,
    another cnblock): writing the draft would lose that change."""
    now = None if not os.path.lexists(draft.path) else loader.read_text(draft.path)
    if now != (None if draft.created else draft.original):
        raise CnblockError(
            f"{draft.path} changed while cnblock was adding to it; nothing was written:"
            " run the command again"
        )
