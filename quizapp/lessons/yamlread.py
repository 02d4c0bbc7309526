"""Read one YAML document safely, keeping line numbers, whatever the file holds.

Lesson files come from instructors' editors, and sometimes from anywhere: this module turns
bytes into a node tree (for line and column numbers) and plain data, and turns every way a
file can be broken or hostile into a :class:`YamlProblem` with a position and a message.
It never raises anything else, never expands an alias bomb and never hangs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["MAX_BYTES", "Document", "YamlProblem", "decode", "mark", "parse"]

MAX_BYTES = 1024 * 1024
MAX_NODES = 200_000  # values after alias expansion: far above any real lesson
MAX_DEPTH = 40  # a lesson nests about 6 deep

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


class YamlProblem(Exception):
    """Why a file is not readable YAML, at a 1-based line and column."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


@dataclass
class Document:
    """One parsed document: its node tree (None when empty), data, and duplicate keys."""

    node: yaml.Node | None
    data: Any
    duplicates: list[tuple[yaml.Node, str]]


def decode(raw: bytes) -> str:
    """Bytes to text (UTF-8, with or without a BOM); a NUL byte or bad UTF-8 is a problem."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        raise YamlProblem(line, col, "file contains a NUL byte: is it a binary file, or UTF-16?")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise YamlProblem(
            line, col, "file is not UTF-8 text: save it as UTF-8 in your editor"
        ) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


def parse(text: str) -> Document:
    """Compose and construct one YAML document, guarding against hostile input."""
    loader = _LessonLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, None, [])
        if "&" in text:
            # Only anchors and aliases can make a small file expand without bound; without
            # them the data is no bigger than the file, and libyaml caps the nesting.
            _check_size(node)
        return Document(node, loader.construct_document(node), loader.duplicates)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if "mapping values are not allowed" in what:
            what += " (put quotes around text that contains ': ', or check the indentation)"
        if "nesting depth" in what:
            raise YamlProblem(line, col, "values nest too deeply to be a lesson") from None
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
            what = f"{what} (lesson files allow only plain YAML values, no tags)"
        elif isinstance(exc, yaml.constructor.ConstructorError) and "unhashable" in what:
            what = "a key must be plain text, not a list or mapping"
        elif isinstance(exc, yaml.composer.ComposerError) and "document" in what:
            what = "the file holds more than one YAML document (`---`); a lesson is one"
        raise YamlProblem(line, col, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, 1, "the YAML nests too deeply to be a lesson") from None
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
            line, col = mark(node)
            raise YamlProblem(line, col, f"values nest more than {MAX_DEPTH} levels deep")
        children = _children(node)
        if done:
            size = 1 + sum(sizes.get(id(child), 1) for child in children)
            if size > MAX_NODES:
                line, col = mark(node)
                raise YamlProblem(
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


def mark(node: yaml.Node) -> tuple[int, int]:
    """The 1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1
