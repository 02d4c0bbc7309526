"""Read lesson files into validated :class:`~quizapp.model.Lesson` objects.

Every problem becomes a :class:`LessonError` with the file, line and column it is about and
a message an instructor can act on. One bad file never hides the good ones, and no input,
however broken or hostile, raises out of this module or hangs it.

Parsing is done once per file: the YAML is composed into a node tree (which keeps line
numbers) and constructed from that tree, so pydantic's error locations can be mapped back
to the node they are about.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from quizapp import checks
from quizapp.catalog import id_line, lesson_files
from quizapp.model import QUESTION_TYPES, Lesson

__all__ = ["MAX_BYTES", "LessonError", "LoadResult", "lesson_files", "load_file", "load_paths"]

MAX_BYTES = 1024 * 1024
MAX_NODES = 200_000  # values after alias expansion: far above any real lesson
MAX_DEPTH = 40  # a lesson nests about 6 deep

Loc = tuple[str | int, ...]

try:  # the C loader is about 9x faster on lesson files
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _LessonLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 booleans (only true/false) and dates kept as text, which
    also notes duplicate keys while it builds each mapping.

    YAML 1.1 turns ``No`` into ``False`` and ``1996-02-30`` into a crash; an instructor
    writing a choice "No" or a date expects neither. PyYAML keeps the last of two equal keys
    without a word; an instructor wants to know.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            first: dict[str, int] = {}
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                if key.value in first:
                    message = f"duplicate key {key.value!r} (first on line {first[key.value]})"
                    self.duplicates.append((key, message))
                else:
                    first[key.value] = key.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


# YAML 1.2 core schema for booleans and numbers: YAML 1.1 also reads `No` as false, `1:30`
# as 90 (base 60) and `0123` as 83 (octal), which no instructor means. Dates stay text.
_YAML11_ONLY = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
_LessonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML11_ONLY]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    # No leading zeros: `0123` stays text, as an instructor writing it means.
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
):
    _LessonLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )


@dataclass(frozen=True, order=True)
class LessonError:
    """One problem in a lesson file, at a 1-based line and column."""

    path: Path
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for ``quizapp validate --format json``."""
        return {"file": str(self.path), "line": self.line, "col": self.col, "message": self.message}


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


def load_paths(paths: Iterable[Path], *, strict: bool = False) -> LoadResult:
    """Load every lesson file in ``paths`` (files or folders) and check ids across files."""
    # Loading builds many small objects and keeps them all; the cyclic garbage collector
    # would walk the growing heap again and again (a third of the time for 1,000 files,
    # see docs/performance.md). Lessons hold no reference cycles, so it waits till the end.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_all(paths, strict)
    finally:
        if paused:
            gc.enable()


def _load_all(paths: Iterable[Path], strict: bool) -> LoadResult:
    result = LoadResult()
    seen: set[str] = set()
    for path in lesson_files(paths):
        key = os.path.realpath(path)  # the same file named twice (a folder and a file in it)
        if key in seen:
            continue
        seen.add(key)
        result.files += 1
        lesson, errors = load_file(path, strict=strict)
        result.errors.extend(errors)
        if lesson is None:
            continue
        if lesson.id in result.paths:
            first = result.paths[lesson.id]
            result.errors.append(
                LessonError(
                    path, id_line(path), 1, f"lesson id {lesson.id!r} is already used by {first}"
                )
            )
            continue
        result.lessons.append(lesson)
        result.paths[lesson.id] = path
    return result


def load_file(path: Path, *, strict: bool = False) -> tuple[Lesson | None, list[LessonError]]:
    """Load one lesson file. Returns the lesson (None if it has errors) and its problems.

    With ``strict``, also report what a finished lesson must have (sources on every card and
    question, explanations, minimum counts): see :func:`quizapp.checks.strict_problems`.
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
    text, problem = _decode(raw)
    if problem:
        return None, [LessonError(path, *problem)]
    try:
        node, data, duplicates = _parse(text)
    except _ParseProblem as exc:
        return error(exc.line, exc.col, exc.message)
    if node is None:
        return error(1, 1, "file is empty: a lesson file starts with `id:`, `title:`, ...")
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = _mark(node)
        return error(line, col, f"the file holds {kind}; a lesson is a mapping of `key: value`")
    if duplicates:
        return None, [LessonError(path, *_mark(n), msg) for n, msg in duplicates]
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as exc:
        errors = [
            LessonError(path, *_locate(node, _error_loc(err), err["type"]), _message(err, data))
            for err in exc.errors()
        ]
        return None, sorted(set(errors))

    def positioned(found: list[checks.Problem]) -> list[LessonError]:
        return [
            LessonError(path, *_locate(node, loc, "value"), f"{_dotted(loc, data)}: {msg}")
            for loc, msg in found
        ]

    errors = positioned(checks.lesson_problems(lesson))
    if errors:
        return None, sorted(errors)
    # A lesson that is only unfinished (strict) still loads: the app can show it.
    return lesson, sorted(positioned(checks.strict_problems(lesson))) if strict else []


def _decode(raw: bytes) -> tuple[str, tuple[int, int, str] | None]:
    """Bytes to text, or the position and message of the first problem."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        return "", (line, col, "file contains a NUL byte: is it a binary file, or UTF-16?")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        return "", (line, col, "file is not UTF-8 text: save it as UTF-8 in your editor")


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


class _ParseProblem(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _parse(text: str) -> tuple[yaml.Node | None, Any, list[tuple[yaml.Node, str]]]:
    """Compose and construct one YAML document, guarding against hostile input.

    Returns the node tree (for line numbers), the data, and the duplicate keys found.
    """
    loader = _LessonLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        if "&" in text:
            # Only anchors and aliases can make a small file expand without bound; without
            # them the data is no bigger than the file, and libyaml caps the nesting.
            _check_size(node)
        return node, loader.construct_document(node), loader.duplicates
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if "mapping values are not allowed" in what:
            what += " (put quotes around text that contains ': ', or check the indentation)"
        if "nesting depth" in what:
            raise _ParseProblem(line, col, "values nest too deeply to be a lesson") from None
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
            what = f"{what} (lesson files allow only plain YAML values, no tags)"
        elif isinstance(exc, yaml.constructor.ConstructorError) and "unhashable" in what:
            what = "a key must be plain text, not a list or mapping"
        elif isinstance(exc, yaml.composer.ComposerError) and "document" in what:
            what = "the file holds more than one YAML document (`---`); a lesson is one"
        raise _ParseProblem(line, col, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise _ParseProblem(1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise _ParseProblem(1, 1, "the YAML nests too deeply to be a lesson") from None
    finally:
        loader.dispose()


def _check_size(root: yaml.Node) -> None:
    """Reject alias bombs ("billion laughs") and deep nesting before anything expands them.

    Sizes are memoised per node, so a DAG of aliases is measured in linear time.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes:
            continue
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise _ParseProblem(line, col, f"values nest more than {MAX_DEPTH} levels deep")
        children = _children(node)
        if done:
            size = 1 + sum(sizes.get(id(child), 1) for child in children)
            if size > MAX_NODES:
                line, col = _mark(node)
                raise _ParseProblem(
                    line, col, "aliases expand to too many values (a 'billion laughs' file?)"
                )
            sizes[id(node)] = size
            continue
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


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
    return _mark(node)


def _error_loc(err: Any) -> Loc:
    """Where to point for a pydantic error: a bad question type at its ``type:`` line."""
    loc: Loc = tuple(err["loc"])
    return (*loc, "type") if err["type"] == "union_tag_invalid" else loc


def _dotted(loc: Loc, data: Any) -> str:
    """``quiz.questions[2].answer`` with union tags dropped, for messages."""
    out = ""
    current = data
    for segment in loc:
        if isinstance(current, dict) and segment in current:
            out += f".{segment}" if out else str(segment)
            current = current[segment]
        elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
            out += f"[{segment}]"
            current = current[segment]
    return out or "lesson"


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
        near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        known = f" (allowed: {', '.join(sorted(allowed))})" if allowed and not near else ""
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
    """The model inside ``X | None``, ``Annotated[...]`` or ``list[...]``; question by tag."""
    if isinstance(value, dict) and value.get("type") in QUESTION_TYPES and get_args(tp):
        flat = str(tp)
        if "Question" in flat:
            return QUESTION_TYPES[value["type"]]
    for arg in get_args(tp):
        if _is_model(arg):
            return arg
        inner = _model_in(arg, value)
        if inner is not None and (_is_model(inner) or get_origin(inner) is list):
            return inner
    return tp if get_origin(tp) is list else None
