"""Text a lesson file must not hold: control characters, bidi overrides, look-alike letters.

A lesson file from the internet can hide a terminal escape sequence in a double-quoted
string (``"\\e]0;pwned\\a"`` retitles the terminal, ``"\\e[2J"`` wipes it) or reorder what a
student reads with a bidi override. :func:`control_problems` reports each such character
at its line and column with its name (``U+001B ESCAPE is not allowed in a title``), so
``quizapp validate`` rejects the file and the loader never hands such text to the app. A
newline and a tab are allowed in text of several lines (bodies, explanations, prompts), not
in keys, ids, titles, terms or addresses.

:func:`lookalike_problems` (``validate --strict``) warns of words that mix Latin letters with
Cyrillic or Greek ones (``Guаtemala`` with a Cyrillic ``а``): two choices that look the same
but differ, or an answer no student can type.

Both walk the YAML node tree, so every problem has the position of the text it is about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import yaml

from quizapp.text import describe, is_clean, unsafe_characters

__all__ = ["control_problems", "lookalike_problems"]

Found = tuple[int, int, str]

# Fields whose text is one line: a newline or tab there is as wrong as an escape.
_ONE_LINE = frozenset({"id", "title", "term", "url", "type", "date", "year", "sources"})
_WORD = re.compile(r"\w+")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _scalars(
    node: yaml.Node, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[yaml.ScalarNode, tuple[str | int, ...], bool]]:
    """Every scalar with its path (keys and list indexes) and whether it is a key."""
    if isinstance(node, yaml.ScalarNode):
        yield node, path, False
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, (*path, index))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield key, path, True
                yield from _scalars(value, (*path, key.value))
            else:
                yield from _scalars(key, path)
                yield from _scalars(value, path)


def _where(path: tuple[str | int, ...]) -> tuple[str, str]:
    """``cards[0].body`` and the field's name as a noun (``a body``, ``a list item``)."""
    dotted = ""
    for part in path:
        name = part if isinstance(part, int) or is_clean(part) else repr(part)
        dotted += f"[{name}]" if isinstance(part, int) else (f".{name}" if dotted else str(name))
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "lesson")
    if path and isinstance(path[-1], int):
        noun = f"an item of {field}"
    else:
        noun = f"{'an' if field[:1] in 'aeiou' else 'a'} {field}"
    return dotted or "lesson", noun


def _position(node: yaml.ScalarNode, index: int, lines: list[str]) -> tuple[int, int]:
    """The line and column of character ``index`` of a scalar's value: exact for text
    written on one line without escapes, else where the scalar starts."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    end = node.end_mark
    if end is None or end.line != node.start_mark.line or line > len(lines):
        return line, col
    written = lines[line - 1][node.start_mark.column : end.column]
    if node.style in (None, "", "'", '"') and "\\" not in written and "''" not in written:
        return line, col + index + (1 if node.style in ("'", '"') else 0)
    return line, col


def control_problems(root: yaml.Node, text: str) -> list[Found]:
    """Each control character or bidi override in the file's text (``text``, for exact
    columns), as (line, column, message)."""
    lines = text.split("\n")
    found: list[Found] = []
    for node, path, is_key in _scalars(root):
        value = node.value
        if not isinstance(value, str):
            continue
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        multiline = not is_key and field not in _ONE_LINE
        for index, ch in unsafe_characters(value, multiline=multiline):
            dotted, noun = _where(path)
            what = "a key" if is_key else noun
            line, col = _position(node, index, lines)
            found.append((line, col, f"{dotted}: {describe(ch)} is not allowed in {what}"))
    return found


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return next((s for s in _SCRIPTS if name.startswith(s)), None)


def lookalike_problems(root: yaml.Node, text: str) -> list[Found]:
    """Words mixing Latin letters with Cyrillic or Greek ones, as (line, column, message)."""
    lines = text.split("\n")
    found: list[Found] = []
    for node, path, _ in _scalars(root):
        value = node.value
        if not isinstance(value, str) or value.isascii():
            continue
        for match in _WORD.finditer(value):
            scripts = {s for s in map(_script, match.group()) if s is not None}
            if len(scripts) > 1 and "LATIN" in scripts:
                dotted, _ = _where(path)
                others = " and ".join(sorted(s.title() for s in scripts - {"LATIN"}))
                line, col = _position(node, match.start(), lines)
                found.append(
                    (
                        line,
                        col,
                        f"{dotted}: {match.group()!r} mixes Latin and {others} letters that "
                        "look alike (a look-alike trick, or a typing slip?)",
                    )
                )
    return found
