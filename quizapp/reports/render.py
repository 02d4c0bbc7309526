"""Drawing an item analysis: a plain-text table for the terminal, CSV and JSON.

:func:`render_table` writes each :class:`~quizapp.reports.types.LessonReport` in at most 100
columns: the quiz figures, one row per question with its flags, how often each choice was
picked, the reasons for the flags and a :func:`histogram` of attempt scores in block
characters (pure text, so it survives a pipe or a file). :func:`render_csv` gives one row
per question for a spreadsheet; :func:`render_json` everything, with ``null`` where a
statistic cannot be computed.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Sequence

from quizapp.reports.types import MIN_ATTEMPTS_FOR_CORRELATION, TOO_FEW, LessonReport
from quizapp.text import clean, clean_data, csv_cell
from quizapp.wording import plural

__all__ = [
    "CSV_COLUMNS",
    "FLAG_LABELS",
    "TABLE_WIDTH",
    "histogram",
    "render_csv",
    "render_json",
    "render_table",
]

TABLE_WIDTH = 100
_BLOCKS = " ▏▎▍▌▋▊▉█"


def histogram(scores: Sequence[float], *, bins: int = 10, width: int = 50) -> list[str]:
    """Attempt percentages as horizontal bars of block characters, one line per bin.

    Bins are 0-9, 10-19, ... 90-100 (100% falls in the last). Bars are scaled to the fullest
    bin and drawn in eighths of a character, so the picture is exact to 1/8 of a cell. Pure
    text, so it survives a pipe or a file.
    """
    counts = [0] * bins
    for score in scores:
        at = int(min(max(score, 0.0), 100.0) * bins // 100)
        counts[min(at, bins - 1)] += 1
    top = max(counts, default=0)
    step = 100 // bins
    lines = []
    for i, count in enumerate(counts):
        low, high = i * step, (100 if i == bins - 1 else (i + 1) * step - 1)
        eighths = round(count / top * width * 8) if top else 0
        if count and not eighths:
            eighths = 1  # a bin with answers is never drawn empty
        bar = "█" * (eighths // 8) + (_BLOCKS[eighths % 8] if eighths % 8 else "")
        label = f"{low:>3}–{high:<3} │"
        lines.append(f"{label}{bar} {count}" if count else label)
    return lines


def _pct(value: float | None) -> str:
    return f"{value:.1f}%" if value is not None else "—"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 60:
        return f"{value:.0f}s"
    return f"{int(value // 60)}m{int(value % 60):02d}s"


# Short forms of the flags for the table's last column (the full reasons follow the table).
FLAG_LABELS: dict[str, str] = {
    "too_easy": "easy",
    "too_hard": "hard",
    "negative_discrimination": "discr<0",
    "low_discrimination": "discr~0",
    "wrong_choice": "wrong>right",
}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


_RULE_WORDS = {
    "first": "first attempts",
    "last": "last attempts",
    "best": "best attempts",
    "all": "all attempts",
}


def render_table(reports: Sequence[LessonReport], *, width: int = TABLE_WIDTH) -> str:
    """The reports as plain text for a terminal (lines at most ``width`` columns)."""
    text = "\n\n".join(_table(report, width) for report in reports) + "\n"
    return clean(text, multiline=True)


def _table(report: LessonReport, width: int) -> str:
    quiz = report.quiz
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    heading = f"{' '.join(report.lesson_title.split())} ({report.lesson_id})"
    lines = [*wrap.wrap(heading), "=" * min(width, len(heading))]
    who = (
        f"{_RULE_WORDS[report.rule].capitalize()}: {plural(quiz.students, 'student')}, "
        f"{plural(quiz.attempts, 'attempt')}"
    )
    if quiz.attempts:
        who += f"; {quiz.passed} at or above the pass mark of {quiz.pass_mark}%"
    lines += wrap.wrap(who)
    if quiz.attempts:
        sd = f"{quiz.sd:.1f}" if quiz.sd is not None else TOO_FEW
        alpha = f"{quiz.alpha:.2f}" if quiz.alpha is not None else quiz.alpha_note or TOO_FEW
        lines += wrap.wrap(
            f"Score: mean {_pct(quiz.mean)}, median {_pct(quiz.median)}, "
            f"standard deviation {sd}; Cronbach's alpha {alpha}"
        )
    left_out = []
    if report.outdated_answers:
        left_out.append(
            f"{plural(report.outdated_answers, 'answer')} to an older version of a question"
        )
    if report.unfinished_attempts:
        left_out.append(plural(report.unfinished_attempts, "unfinished attempt"))
    if report.retry_attempts:
        n = report.retry_attempts
        left_out.append(f"{n} retr{'y' if n == 1 else 'ies'} of missed questions")
    if left_out:
        listed = (
            ", ".join(left_out[:-1]) + " and " + left_out[-1] if len(left_out) > 1 else left_out[0]
        )
        lines += wrap.wrap(f"Left out: {listed}.")
    if not quiz.attempts:
        lines.append("No answers yet.")
        return "\n".join(lines)

    lines.append("")
    # The hints column only where some answer used a hint: it would cost the flags room.
    hints = any(q.hinted for q in report.questions)
    header = f"{'#':>3}  {'question':<22} {'type':<10} {'answers':>7} {'right':>7} "
    header += f"{'discrim.':>9} {'avg time':>8}{' hints' if hints else ''}  flags"
    lines.append(header)
    lines.append("-" * min(width, len(header) + 21))
    for q in report.questions:
        discrimination = (
            f"{q.discrimination:.2f}"
            if q.discrimination is not None
            else ("too few" if q.discrimination_note == TOO_FEW else "n/a")
        )
        flag_words = ", ".join(FLAG_LABELS[f.kind] for f in q.flags)
        row = (
            f"{q.number:>3}  {_cut(q.question_id, 22):<22} "
            f"{q.type:<10} {q.answers:>7} {_pct(q.facility):>7} {discrimination:>9} "
            f"{_seconds(q.average_seconds):>8}{f' {q.hinted:>5}' if hints else ''}  "
        )
        lines.append((row + flag_words)[:width].rstrip())
    notes = sorted({q.discrimination_note for q in report.questions if q.discrimination_note})
    if any(n != TOO_FEW for n in notes):
        lines.append("n/a: no spread in the scores (everyone scored the same), so no correlation")
    if any(n == TOO_FEW for n in notes):
        lines.append(
            f"too few: a correlation needs {MIN_ATTEMPTS_FOR_CORRELATION} or more attempts "
            "(too few answers)"
        )

    for q in report.questions:
        if not (q.choices or q.flags):
            continue
        lines.append("")
        lines += textwrap.wrap(
            f"{q.number:>3}. {q.question_id}: {q.prompt}", width=width, subsequent_indent="     "
        )[:2]
        if q.choices and q.answers:
            label_width = min(40, max(len(c.text) for c in q.choices) + 2)
            for c in q.choices:
                mark = "✓" if c.right else " "
                text = textwrap.shorten(c.text, label_width - 2, placeholder="…")
                bar = "█" * round((c.percent or 0) / 5)
                line = f"     {mark} {text:<{label_width}} {c.count:>4} {_pct(c.percent):>6}  {bar}"
                lines.append(line.rstrip())
            if q.other_responses:
                lines.append(f"       (no choice / unreadable: {q.other_responses})")
        flag_wrap = textwrap.TextWrapper(
            width=width, initial_indent="     ! ", subsequent_indent="       "
        )
        for f in q.flags:
            lines += flag_wrap.wrap(f.message)

    lines.append("")
    lines.append(f"Scores of the {_RULE_WORDS[report.rule]} (percent right)")
    lines += histogram(quiz.scores, width=min(50, width - 20))
    return "\n".join(lines)


CSV_COLUMNS = (
    "lesson_id",
    "attempts_rule",
    "number",
    "question_id",
    "type",
    "answers",
    "facility_percent",
    "discrimination",
    "average_seconds",
    "choices",
    "flags",
    "hinted",
)


def render_csv(reports: Sequence[LessonReport]) -> str:
    """One row per question (a spreadsheet of the item analysis); empty cells for None.

    ``choices`` reads ``text=count`` separated by ``; ``, the right ones marked ``*``;
    ``flags`` lists the flag kinds separated by ``; ``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        for q in report.questions:
            writer.writerow(
                csv_cell(cell)
                for cell in [
                    report.lesson_id,
                    report.rule,
                    q.number,
                    q.question_id,
                    q.type,
                    q.answers,
                    "" if q.facility is None else f"{q.facility:.1f}",
                    "" if q.discrimination is None else f"{q.discrimination:.3f}",
                    "" if q.average_seconds is None else f"{q.average_seconds:.1f}",
                    "; ".join(f"{c.text}{'*' if c.right else ''}={c.count}" for c in q.choices),
                    "; ".join(f.kind for f in q.flags),
                    q.hinted,
                ]
            )
    return out.getvalue()


def render_json(reports: Sequence[LessonReport]) -> str:
    """Everything in the reports, as JSON (``null`` where a statistic cannot be computed)."""
    payload = clean_data({"lessons": [report.as_dict() for report in reports]})
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
