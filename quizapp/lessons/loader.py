"""Read lesson files into validated :class:`~quizapp.lessons.model.Lesson` objects.

Every problem becomes a :class:`LessonError` with the file, line and column it is about and
a message an instructor can act on. One bad file never hides the good ones, and no input,
however broken or hostile, raises out of this module or hangs it.

Each file is parsed once by :mod:`quizapp.lessons.yamlread` into a node tree (which keeps line
numbers) and plain data; pydantic's error locations are then mapped back to the node they
are about.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from quizapp.frozen import replace
from quizapp.lessons import checks, textcheck
from quizapp.lessons.files import LessonError, duplicate_id, lesson_files
from quizapp.lessons.model import QUESTION_TYPES, Choice, Lesson
from quizapp.lessons.yamlread import MAX_BYTES, YamlProblem, decode, mark, parse
from quizapp.wording import did_you_mean

__all__ = ["MAX_BYTES", "LessonError", "LoadResult", "lesson_files", "load_file", "load_paths"]

Loc = tuple[str | int, ...]


@dataclass
class LoadResult:
    """The lessons that loaded, where each came from, and every problem found."""

    lessons: list[Lesson] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    errors: list[LessonError] = field(default_factory=list)
    files: int = 0

    @property
    def question_count(self) -> int:
        """Questions across all loaded lessons."""
        return sum(len(lesson.quiz.questions) for lesson in self.lessons)


def load_paths(
    paths: Iterable[Path], *, strict: bool = False, today: dt.date | None = None
) -> LoadResult:
    """Load every lesson file in ``paths`` (files or folders) and check ids across files.

    With ``today``, review dates that have passed are reported too (see :func:`load_file`).
    """
    # Loading builds many small objects and keeps them all; the cyclic garbage collector
    # would walk the growing heap again and again (a third of the time for 1,000 files,
    # see docs/performance.md). Lessons hold no reference cycles, so it waits till the end.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_all(paths, strict, today)
    finally:
        if paused:
            gc.enable()


def _load_all(paths: Iterable[Path], strict: bool, today: dt.date | None) -> LoadResult:
    result = LoadResult()
    seen: set[str] = set()
    for path in lesson_files(paths):
        key = os.path.realpath(path)  # the same file named twice (a folder and a file in it)
        if key in seen:
            continue
        seen.add(key)
        result.files += 1
        lesson, errors = load_file(path, strict=strict, today=today)
        result.errors.extend(errors)
        if lesson is None:
            continue
        if lesson.id in result.paths:
            result.errors.append(duplicate_id(path, lesson.id, result.paths[lesson.id]))
            continue
        result.lessons.append(lesson)
        result.paths[lesson.id] = path
    return result


def load_file(
    path: Path, *, strict: bool = False, today: dt.date | None = None
) -> tuple[Lesson | None, list[LessonError]]:
    """Load one lesson file. Returns the lesson (None if it has errors) and its problems.

    With ``strict``, also report what a finished lesson must have (sources on every card and
    question, explanations, minimum counts): see :func:`quizapp.lessons.checks.strict_problems`.
    With ``today``, cards and questions whose ``review_by`` date is before it are reported:
    as warnings, or as problems with ``strict``. (The app passes no date: students are not
    shown an instructor's reminders.)
    """

    def error(line: int, col: int, message: str) -> tuple[None, list[LessonError]]:
        return None, [LessonError(path, line, col, message)]

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return error(1, 1, f"file is {size:,} bytes; a lesson file may be at most 1 MiB")
        raw = path.read_bytes()
    except OSError as exc:
        return error(1, 1, f"cannot read file: {exc.strerror or exc}")
    try:
        text = decode(raw)
        document = parse(text)
    except YamlProblem as exc:
        return error(exc.line, exc.col, exc.message)
    node, data = document.node, document.data
    if node is None:
        return error(1, 1, "file is empty: a lesson file starts with `id:`, `title:`, ...")
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = mark(node)
        return error(line, col, f"the file holds {kind}; a lesson is a mapping of `key: value`")
    # Control characters and bidi overrides (an escape sequence in a title): errors, so
    # no such text ever reaches the app; reported beside any other problem of the file.
    unsafe = [LessonError(path, *found) for found in textcheck.control_problems(node, text)]
    if document.duplicates:
        duplicates = [LessonError(path, *mark(n), msg) for n, msg in document.duplicates]
        return None, sorted(duplicates + unsafe)
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as exc:
        errors = [
            LessonError(path, *_locate(node, _error_loc(err), err["type"]), _message(err, data))
            for err in _one_branch(exc.errors(), data)
        ]
        return None, sorted(set(errors + unsafe))

    def positioned(found: list[checks.Problem]) -> list[LessonError]:
        return [
            LessonError(path, *_locate(node, loc, "value"), f"{_dotted(loc, data)}: {msg}")
            for loc, msg in found
        ]

    errors = positioned(checks.lesson_problems(lesson)) + unsafe
    if errors:
        return None, sorted(errors)
    # A lesson that is only unfinished (strict) or due for a fact check still loads.
    found: list[LessonError] = []
    if strict:
        found += positioned(checks.strict_problems(lesson))
        found += [LessonError(path, *hit) for hit in textcheck.lookalike_problems(node, text)]
    if today is not None:
        due = positioned(checks.review_problems(lesson, today))
        found += due if strict else [replace(e, warning=True) for e in due]
    return lesson, sorted(found)


def _locate(root: yaml.Node, loc: Loc, kind: str) -> tuple[int, int]:
    """Follow a pydantic location through the YAML nodes to a line and column.

    Segments that are not in the data (a discriminated union's tag, ``str`` in
    ``list[Choice | str]``) are skipped. An unknown key points at the key itself; a missing
    field at the mapping that lacks it.
    """
    node = root
    for index, segment in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            pair = next(
                (
                    kv
                    for kv in node.value
                    if isinstance(kv[0], yaml.ScalarNode) and kv[0].value == str(segment)
                ),
                None,
            )
            if pair is None:
                continue
            # An unknown key, or a whole list or mapping, is best shown at its key.
            at_key = kind == "extra_forbidden" or not isinstance(pair[1], yaml.ScalarNode)
            node = pair[0] if last and at_key else pair[1]
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(segment, int)
            and 0 <= segment < len(node.value)
        ):
            node = node.value[segment]
    return mark(node)


def _one_branch(errors: list[Any], data: Any) -> list[Any]:
    """A choice may be text or ``{text, feedback}``; when it is neither, pydantic reports
    both failures. Keep the one for the form the instructor wrote: a mapping's problems, or
    the text one."""
    kept = []
    for err in errors:
        loc: Loc = tuple(err["loc"])
        branch = next(
            (i for i, part in enumerate(loc) if part in (Choice.__name__, "str") and i > 0), None
        )
        if branch is not None:
            wrote_mapping = isinstance(_walk(loc[:branch], data)[1], dict)
            if (loc[branch] == "str") == wrote_mapping:
                continue
        kept.append(err)
    return kept


def _error_loc(err: Any) -> Loc:
    """Where to point for a pydantic error: a bad question type at its ``type:`` line."""
    loc: Loc = tuple(err["loc"])
    return (*loc, "type") if err["type"] == "union_tag_invalid" else loc


def _walk(loc: Loc, data: Any) -> tuple[str, Any]:
    """Follow ``loc`` through the data, skipping what is not in it (union tags such as
    ``single`` or ``str``): the path as ``quiz.questions[2].answer``, and the value there."""
    out = ""
    current = data
    for segment in loc:
        if isinstance(current, dict) and segment in current:
            out += f".{segment}" if out else str(segment)
            current = current[segment]
        elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
            out += f"[{segment}]"
            current = current[segment]
    return out or "lesson", current


def _dotted(loc: Loc, data: Any) -> str:
    """``quiz.questions[2].answer`` with union tags dropped, for messages."""
    return _walk(loc, data)[0]


def _message(err: Any, data: Any) -> str:
    """Turn one pydantic error into an instructor's message."""
    loc: Loc = tuple(err["loc"])
    kind: str = err["type"]
    where = _dotted(loc, data)
    if kind == "missing":
        return f"{where}: missing required field {loc[-1]!r}"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = _dotted(loc[:-1], data)
        allowed = _fields_at(loc[:-1], data)
        hint = did_you_mean(key, allowed)
        known = f" (allowed: {', '.join(sorted(allowed))})" if allowed and not hint else ""
        if " " in key.strip():
            # A sentence as a key: a `: ` or a comma inside unquoted text split it.
            allowed_here = f" (allowed here: {', '.join(sorted(allowed))})" if allowed else ""
            return (
                f"{parent}: unknown field {key!r}: if this is text, put it in quotes "
                "(a ': ' or, inside {...}, a comma splits unquoted text); if it belongs to "
                f"the list or mapping above, check its indentation{allowed_here}"
            )
        return f"{parent}: unknown field {key!r}{hint}{known}"
    if kind == "union_tag_invalid":
        types = ", ".join(QUESTION_TYPES)
        return f"{where}: unknown question type {err['ctx']['tag']!r}; use one of: {types}"
    if kind == "union_tag_not_found":
        return f"{where}: missing required field 'type' (one of: {', '.join(QUESTION_TYPES)})"
    message: str = err["msg"]
    message = message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and loc[-1] in ("id",):
        message = "ids use lower-case letters, digits, '-' and '_' only (e.g. 'la-gangs')"
    elif kind == "string_pattern_mismatch" and loc[-1] == "url":
        message = "a url is http:// or https:// followed by an address with no spaces"
    elif kind == "finite_number":
        message = "must be a finite number (not .nan or .inf)"
    elif kind == "string_type" and loc[-1] in ("date", "accessed") and err["input"] is not None:
        message = "must be a date: YYYY, YYYY-MM or YYYY-MM-DD"
    elif kind == "string_type" and isinstance(err["input"], int | float) and loc[-1] == "id":
        message = "must be text: put it in quotes"
    elif kind == "bool_type" and isinstance(err["input"], str | int | float):
        message = "must be true or false, without quotes"
    return f"{where}: {message[:1].lower()}{message[1:]}"


def _fields_at(loc: Loc, data: Any) -> list[str]:
    """The field names allowed at ``loc`` (for "did you mean"), walking the model types."""
    model: Any = Lesson
    current = data
    for segment in loc:
        if isinstance(current, dict) and segment in current:
            current = current[segment]
            model = model.model_fields[segment].annotation if _is_model(model) else None
        elif isinstance(current, list) and isinstance(segment, int):
            current = current[segment] if segment < len(current) else None
            model = _item_type(model)
        elif isinstance(segment, str) and segment in QUESTION_TYPES:
            model = QUESTION_TYPES[segment]
        if model is not None and not _is_model(model):
            model = _model_in(model, current)
    return list(model.model_fields) if _is_model(model) else []


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _item_type(tp: Any) -> Any:
    args = get_args(tp)
    return args[0] if get_origin(tp) is list and args else tp


def _model_in(tp: Any, value: Any) -> Any:
    """The model inside ``X | None``, ``Annotated[...]`` or ``list[...]``. (For a question,
    pydantic's location carries the type tag next, which picks the right model.)"""
    for arg in get_args(tp):
        if _is_model(arg):
            return arg
        inner = _model_in(arg, value)
        if inner is not None and (_is_model(inner) or get_origin(inner) is list):
            return inner
    return tp if get_origin(tp) is list else None
