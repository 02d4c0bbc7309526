"""What the class view shows, as data and drawings: gradebook rows (sorted, filtered) and a
lesson's item analysis drawn with bars, flags, choice counts and a score histogram.

Pure functions of the store's and the reports' records; the screen
(:mod:`quizapp.tui.screens.instructor`) only places them.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    # The reports (and through them the lesson model, pydantic) are imported where a report
    # is drawn: the gradebook, shown first, needs neither (0.1 s of a fresh start).
    from quizapp.lessons.model import Lesson
    from quizapp.reports import LessonReport, QuestionStats
    from quizapp.store import GradebookRow

__all__ = [
    "NAME_COLUMN",
    "PASSED_COLUMN",
    "StudentRow",
    "analysis_renderable",
    "bar",
    "filter_rows",
    "fold",
    "sort_rows",
    "student_rows",
]

NAME_COLUMN = "@student"  # column keys of the gradebook; lesson ids cannot start with "@"
PASSED_COLUMN = "@passed"
NAME_WIDTH = 24
BAR_WIDTH = 20
_EIGHTHS = " ▏▎▍▌▋▊▉"
# How loud each flag is: a wrong key is worth acting on at once, the others are worth a look.
_SEVERE = {"negative_discrimination", "wrong_choice"}


# --------------------------------------------------------------------------- gradebook data


@dataclass(frozen=True)
class StudentRow:
    """One student's line of the gradebook.

    ``best`` maps a lesson id to the best percent of the student's finished full attempts;
    ``in_progress`` holds the lessons with an attempt under way; ``passed`` counts the
    lessons whose pass mark the best score reaches.
    """

    name: str
    best: dict[str, float]
    in_progress: frozenset[str]
    passed: int


def student_rows(rows: Sequence[GradebookRow]) -> list[StudentRow]:
    """The store's gradebook (one row per student and lesson) as one row per student."""
    best: dict[str, dict[str, float]] = {}
    open_: dict[str, set[str]] = defaultdict(set)
    passed: dict[str, int] = defaultdict(int)
    for row in rows:
        scores = best.setdefault(row.student, {})  # every student gets a row, scored or not
        if row.best is not None:
            scores[row.lesson_id] = row.best
        if row.unfinished:
            open_[row.student].add(row.lesson_id)
        if row.passed:
            passed[row.student] += 1
    return [
        StudentRow(name, scores, frozenset(open_[name]), passed[name])
        for name, scores in best.items()
    ]


def fold(text: str) -> str:
    """``text`` without case or accents, so "jose" finds "José" and "ÁLVARO" finds "Álvaro"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def filter_rows(rows: Sequence[StudentRow], query: str) -> list[StudentRow]:
    """The rows whose name contains ``query`` (ignoring case and accents); all when empty."""
    wanted = fold(query.strip())
    return [row for row in rows if wanted in fold(row.name)]


def sort_rows(rows: Sequence[StudentRow], column: str, reverse: bool = False) -> list[StudentRow]:
    """Rows sorted by ``column``: the name (:data:`NAME_COLUMN`), the lessons passed
    (:data:`PASSED_COLUMN`) or a lesson id (its best score). Students without a score in
    that lesson always come last, whichever the direction; ties go by name."""
    by_name = sorted(rows, key=lambda row: (fold(row.name), row.name))
    if column == NAME_COLUMN:
        return list(reversed(by_name)) if reverse else by_name
    if column == PASSED_COLUMN:
        return sorted(by_name, key=lambda row: row.passed, reverse=reverse)
    scored = [row for row in by_name if column in row.best]
    unscored = [row for row in by_name if column not in row.best]
    return sorted(scored, key=lambda row: row.best[column], reverse=reverse) + unscored


# --------------------------------------------------------------------------- drawing


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``fraction`` (0..1) of ``width`` cells, exact to 1/8 of a cell."""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    text = "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")
    return text.ljust(width)


def _flag_style(question: QuestionStats) -> str:
    kinds = {flag.kind for flag in question.flags}
    if kinds & _SEVERE:
        return "bold red"
    return "yellow" if kinds else "green"


def _figure(value: float | None, spec: str, note: str | None = None) -> str:
    from quizapp.reports import TOO_FEW

    return format(value, spec) if value is not None else (note or TOO_FEW)


def _flag_words(q: QuestionStats) -> list[str]:
    """A question's flags, and how many answers used its hint (when any did)."""
    from quizapp.reports import FLAG_LABELS

    words = [FLAG_LABELS[f.kind] for f in q.flags]
    if q.hinted:
        words.append(f"{q.hinted} used the hint")
    return words


def analysis_renderable(number: int | None, lesson: Lesson, report: LessonReport) -> Group:
    """The item analysis of one lesson, drawn: figures, a facility bar per question,
    the flagged questions with their choices, and the histogram of scores."""
    from quizapp.reports import TOO_FEW, histogram

    quiz = report.quiz
    title = Text(f"L{number} · " if number else "", style="bold")
    title.append(lesson.title, style="bold")
    title.append(f"  ({lesson.id})", style="dim")
    parts: list[RenderableType] = [title]
    rule = report.rule
    who = Text(f"{rule.capitalize()} attempts: {quiz.students} students, {quiz.attempts} attempts")
    if quiz.attempts:
        who.append(f"; {quiz.passed} reached the pass mark ({quiz.pass_mark}%)")
    parts.append(who)
    left_out = []
    if report.outdated_answers:
        left_out.append(f"{report.outdated_answers} answers to older versions of questions")
    if report.unfinished_attempts:
        left_out.append(f"{report.unfinished_attempts} unfinished attempts")
    if report.retry_attempts:
        left_out.append(f"{report.retry_attempts} retries of missed questions")
    if not quiz.attempts:
        if left_out:
            parts.append(Text("Left out: " + ", ".join(left_out) + ".", style="dim"))
        parts.append(Text("No finished attempts at this lesson yet.", style="italic"))
        return Group(*parts)
    parts.append(
        Text(
            f"Mean {_figure(quiz.mean, '.1f')}% · median {_figure(quiz.median, '.1f')}% · "
            f"sd {_figure(quiz.sd, '.1f')} · Cronbach's α "
            f"{_figure(quiz.alpha, '.2f', quiz.alpha_note)}"
        )
    )
    if left_out:
        parts.append(Text("Left out: " + ", ".join(left_out) + ".", style="dim"))

    parts.append(Text(""))
    chart = Table.grid(padding=(0, 1))
    chart.add_column(justify="right", no_wrap=True)  # number
    chart.add_column(no_wrap=True, max_width=18, overflow="ellipsis")  # question id
    chart.add_column(no_wrap=True)  # bar
    chart.add_column(justify="right", no_wrap=True)  # percent
    chart.add_column(justify="right", no_wrap=True)  # discrimination
    chart.add_column(no_wrap=True, overflow="ellipsis")  # flags
    chart.add_row(
        "", Text("question", style="dim"), Text("% right", style="dim"), "",
        Text("discr.", style="dim"), Text("flags", style="dim"),
    )  # fmt: skip
    for q in report.questions:
        style = _flag_style(q)
        if q.facility is None:
            drawn = Text("no answers".ljust(BAR_WIDTH), style="dim")
            percent = Text("")
        else:
            drawn = Text(bar(q.facility / 100), style=style)
            percent = Text(f"{q.facility:.0f}%")
        discrimination = (
            Text(f"{q.discrimination:.2f}")
            if q.discrimination is not None
            else Text("too few" if q.discrimination_note == TOO_FEW else "n/a", style="dim")
        )
        chart.add_row(
            f"{q.number}",
            Text(q.question_id),
            drawn,
            percent,
            discrimination,
            Text(", ".join(_flag_words(q)), style=style),
        )
    parts.append(chart)

    flagged = report.flagged
    if flagged:
        parts += [Text(""), Text("What to look at", style="bold")]
    for q in flagged:
        heading = Text(f"{q.number}. ", style="bold")
        heading.append(q.question_id, style="bold")
        heading.append(f": {q.prompt}")
        parts.append(heading)
        if q.choices and q.answers:
            choices = Table.grid(padding=(0, 1))
            choices.add_column(width=3, no_wrap=True)
            choices.add_column(max_width=28, no_wrap=True, overflow="ellipsis")
            choices.add_column(no_wrap=True)
            choices.add_column(justify="right", no_wrap=True)
            top = max(c.count for c in q.choices) or 1
            for c in q.choices:
                choices.add_row(
                    Text(" ✓" if c.right else "", style="green"),
                    Text(c.text),
                    Text(bar(c.count / top, 12), style="green" if c.right else "red"),
                    Text(f"{c.count}"),
                )
            parts.append(choices)
        if q.flags:
            reasons = Table.grid(padding=(0, 1))
            reasons.add_column(width=3, justify="right", no_wrap=True)
            reasons.add_column(ratio=1)  # long reasons wrap under themselves, not under "!"
            for flag in q.flags:
                reasons.add_row(Text("!", style=_flag_style(q)), Text(flag.message))
            parts.append(reasons)

    parts += [Text(""), Text(f"Scores of the {rule} attempts (percent right)", style="bold")]
    parts += [Text(line) for line in histogram(quiz.scores, width=30)]
    return Group(*parts)


# --------------------------------------------------------------------------- the screen
