"""Item analysis of a lesson's quiz: how the class did and which questions are broken.

The statistics follow Moodle's quiz statistics report, computed over plain
:class:`AnswerRecord` values (one per stored answer), so they can be tested without a
database and reused by the TUI:

* **facility index**: the mean score on a question, as a percentage (% right);
* **discrimination index**: the Pearson correlation, across attempts, between the score on
  the question and the score on the *rest* of the quiz (the attempt's other questions). A good
  question is answered right more often by students who do well on the rest of the quiz; a
  negative value usually means a wrong answer key. Moodle shows it multiplied by 100;
  quizapp shows the coefficient itself (-1..1);
* **Cronbach's alpha**: the internal consistency of the whole quiz.

Small classes never produce a division by zero or a NaN: a statistic that cannot be computed
is ``None``, with a note saying why ("too few answers").

Only answers to the *current* version of a question count (their ``question_hash`` equals
``question.content_hash()``); answers to older versions are counted and reported as left out,
so an edit to a question never mixes two versions in one figure.

Renderers turn a :class:`LessonReport` into a plain-text table (at most 100 columns, with a
histogram of attempt scores in block characters), CSV or JSON. Scores are read from the
SQLite score store by :func:`load_records`, the one place that knows its tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sqlite3
import statistics
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from quizapp.model import (
    Lesson,
    MultiQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)
from quizapp.report_types import (
    ATTEMPT_RULES,
    LOW_DISCRIMINATION_BELOW,
    MIN_ANSWERS_FOR_FLAGS,
    MIN_ATTEMPTS_FOR_CORRELATION,
    TOO_EASY_ABOVE,
    TOO_HARD_BELOW,
    AnswerRecord,
    AttemptRule,
    ChoiceCount,
    Flag,
    LessonReport,
    QuestionStats,
    QuizStats,
    ReportError,
)
from quizapp.report_types import TOO_FEW as TOO_FEW
from quizapp.store import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError

__all__ = [
    "ATTEMPT_RULES",
    "LOW_DISCRIMINATION_BELOW",
    "MIN_ANSWERS_FOR_FLAGS",
    "MIN_ATTEMPTS_FOR_CORRELATION",
    "TOO_EASY_ABOVE",
    "TOO_HARD_BELOW",
    "AnswerRecord",
    "AttemptRule",
    "ChoiceCount",
    "Flag",
    "LessonReport",
    "QuestionStats",
    "QuizStats",
    "ReportError",
    "cronbach_alpha",
    "histogram",
    "item_analysis",
    "load_records",
    "pearson",
    "render_csv",
    "render_json",
    "render_table",
    "select_attempts",
]

_EPSILON = 1e-12  # a variance below this is no spread at all (float noise)


# --------------------------------------------------------------------------- selection


def select_attempts(
    records: Iterable[AnswerRecord], rule: AttemptRule, *, finished_only: bool = True
) -> list[AnswerRecord]:
    """The records of the attempts that ``rule`` keeps, per student and lesson.

    As Moodle's quiz statistics: ``first`` keeps each student's earliest attempt at each
    lesson, ``last`` the latest, ``best`` the one with the highest mean score (the earliest on
    a tie), ``all`` every attempt. Unfinished attempts are left out unless ``finished_only``
    is False, so a student who gave up half way does not count as having answered wrong.
    Retries of missed questions (``retry``) are always left out: they are not a whole quiz,
    and only students who got those questions wrong take them.
    """
    if rule not in ATTEMPT_RULES:
        raise ValueError(f"unknown attempt rule {rule!r}; use one of {', '.join(ATTEMPT_RULES)}")
    by_attempt: dict[str, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        if record.retry or (finished_only and record.attempt_finished is None):
            continue
        by_attempt[record.attempt_id].append(record)
    if rule == "all":
        keep = set(by_attempt)
    else:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for attempt_id, rows in by_attempt.items():
            groups[(rows[0].student, rows[0].lesson_id)].append(attempt_id)
        keep = set()
        for attempt_ids in groups.values():
            ordered = sorted(attempt_ids, key=lambda a: _started_key(by_attempt[a][0]))
            if rule == "first":
                keep.add(ordered[0])
            elif rule == "last":
                keep.add(ordered[-1])
            else:  # best: highest mean score; max() keeps the earliest of equals
                keep.add(max(ordered, key=lambda a: _mean(r.score for r in by_attempt[a])))
    return [r for attempt_id, rows in by_attempt.items() if attempt_id in keep for r in rows]


def _started_key(record: AnswerRecord) -> tuple[float, str]:
    """Sort attempts by start time (parsed, so ``Z`` and ``+00:00`` agree), then by id."""
    try:
        when = dt.datetime.fromisoformat(record.attempt_started)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return (when.timestamp(), record.attempt_id)
    except (TypeError, ValueError):
        return (math.inf, record.attempt_id)


# --------------------------------------------------------------------------- statistics


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of two equally long series, or None when it is undefined.

    Undefined means fewer than :data:`MIN_ATTEMPTS_FOR_CORRELATION` pairs, or a series with no
    spread (everyone scored the same). The result is clamped to -1..1 against float noise.
    """
    n = len(xs)
    if n != len(ys) or n < MIN_ATTEMPTS_FOR_CORRELATION:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx / n < _EPSILON or syy / n < _EPSILON:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r)) if math.isfinite(r) else None


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a complete score matrix (attempts x questions), or None.

    alpha = k / (k - 1) * (1 - sum of the item variances / variance of the totals). None with
    fewer than 2 questions, fewer than :data:`MIN_ATTEMPTS_FOR_CORRELATION` attempts, or when
    every attempt has the same total. It can be negative (items that contradict each other).
    """
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if n < MIN_ATTEMPTS_FOR_CORRELATION or k < 2 or any(len(row) != k for row in rows):
        return None
    totals = [sum(row) for row in rows]
    total_var = statistics.variance(totals)
    if total_var < _EPSILON:
        return None
    item_var = sum(statistics.variance([row[j] for row in rows]) for j in range(k))
    alpha = k / (k - 1) * (1 - item_var / total_var)
    return alpha if math.isfinite(alpha) else None


def item_analysis(
    lesson: Lesson, records: Iterable[AnswerRecord], rule: AttemptRule = "first"
) -> LessonReport:
    """Analyse the answers to ``lesson``'s quiz in ``records`` (other lessons are ignored).

    Answers to an older version of a question (or to a question no longer in the lesson) are
    left out and counted. Then ``rule`` picks each student's attempts among those that have at
    least one current answer (see :func:`select_attempts`). An attempt's score is the mean of
    its current answers, as a percentage; an item's "rest of the quiz" is the mean of the
    attempt's other current answers.
    """
    questions = lesson.quiz.questions
    hashes = {q.id: q.content_hash() for q in questions}
    mine = [r for r in records if r.lesson_id == lesson.id]
    current = [r for r in mine if hashes.get(r.question_id) == r.question_hash]
    outdated = len(mine) - len(current)
    unfinished = len({r.attempt_id for r in current if r.attempt_finished is None and not r.retry})
    retries = len({r.attempt_id for r in current if r.retry})

    # One row per attempt: question id -> the attempt's last answer to it.
    attempts: dict[str, dict[str, AnswerRecord]] = {}
    for record in select_attempts(current, rule):
        attempts.setdefault(record.attempt_id, {})[record.question_id] = record
    order = sorted(attempts, key=lambda a: _started_key(next(iter(attempts[a].values()))))
    rows = [attempts[a] for a in order]

    scores = tuple(100.0 * _mean(_clamp(r.score) for r in row.values()) for row in rows)
    complete = [
        [_clamp(row[q.id].score) for q in questions] for row in rows if len(row) == len(questions)
    ]
    alpha = cronbach_alpha(complete)
    alpha_note = None
    if alpha is None:
        if len(questions) < 2:
            alpha_note = "needs at least 2 questions"
        elif len(complete) < MIN_ATTEMPTS_FOR_CORRELATION:
            alpha_note = TOO_FEW
        else:
            alpha_note = "every attempt has the same score"
    quiz = QuizStats(
        students=len({next(iter(row.values())).student for row in rows}),
        attempts=len(rows),
        mean=statistics.fmean(scores) if scores else None,
        median=statistics.median(scores) if scores else None,
        sd=statistics.stdev(scores) if len(scores) >= 2 else None,
        alpha=alpha,
        alpha_note=alpha_note,
        pass_mark=lesson.quiz.pass_mark,
        passed=sum(1 for s in scores if s >= lesson.quiz.pass_mark - 1e-9),
        scores=scores,
    )
    stats = tuple(_question_stats(i, q, rows) for i, q in enumerate(questions, start=1))
    return LessonReport(
        lesson_id=lesson.id,
        lesson_title=lesson.title,
        rule=rule,
        quiz=quiz,
        questions=stats,
        outdated_answers=outdated,
        unfinished_attempts=unfinished,
        retry_attempts=retries,
    )


def _question_stats(
    number: int, question: Question, rows: list[dict[str, AnswerRecord]]
) -> QuestionStats:
    answered = [row for row in rows if question.id in row]
    item = [_clamp(row[question.id].score) for row in answered]
    n = len(item)
    facility = 100.0 * _mean(item) if n else None

    xs, ys = [], []
    for row, score in zip(answered, item, strict=True):
        rest = [_clamp(r.score) for qid, r in row.items() if qid != question.id]
        if rest:
            xs.append(score)
            ys.append(_mean(rest))
    discrimination = pearson(xs, ys)
    note = None
    if discrimination is None:
        if len(xs) < MIN_ATTEMPTS_FOR_CORRELATION:
            note = TOO_FEW
        elif statistics.pvariance(xs) < _EPSILON:
            note = "everyone scored the same on it"
        else:
            note = "everyone scored the same on the rest of the quiz"

    times = [
        r.seconds
        for row in answered
        if (r := row[question.id]).seconds is not None
        and math.isfinite(r.seconds)
        and r.seconds >= 0
    ]
    responses = [row[question.id].response for row in answered]
    choices, other = _choice_counts(question, responses)
    stats = QuestionStats(
        number=number,
        question_id=question.id,
        type=question.type,
        prompt=" ".join(question.prompt.split()),
        answers=n,
        facility=facility,
        discrimination=discrimination,
        discrimination_note=note,
        average_seconds=statistics.fmean(times) if times else None,
        choices=choices,
        other_responses=other,
    )
    return replace(stats, flags=_flags(stats))


def _choice_counts(question: Question, responses: list[Any]) -> tuple[tuple[ChoiceCount, ...], int]:
    """How often each choice was picked, and how many answers picked none of them."""
    n = len(responses)
    counts: Counter[str] = Counter()
    other = 0
    if isinstance(question, SingleQuestion):
        texts = [c.text for c in question.options]
        right = {question.answer}
        for response in responses:
            if isinstance(response, str) and response in texts:
                counts[response] += 1
            else:
                other += 1
    elif isinstance(question, MultiQuestion):
        texts = [c.text for c in question.options]
        right = set(question.answer)
        for response in responses:
            picked = set(response) if isinstance(response, list | tuple) else set()
            counts.update(t for t in texts if t in picked)
    elif isinstance(question, TrueFalseQuestion):
        texts = ["True", "False"]
        right = {"True" if question.answer else "False"}
        for response in responses:
            if isinstance(response, bool):
                counts["True" if response else "False"] += 1
            else:
                other += 1
    else:
        return (), 0
    return tuple(
        ChoiceCount(t, t in right, counts[t], 100.0 * counts[t] / n if n else None) for t in texts
    ), other


def _flags(stats: QuestionStats) -> tuple[Flag, ...]:
    """What an instructor should look at; nothing on fewer than MIN_ANSWERS_FOR_FLAGS answers."""
    if stats.answers < MIN_ANSWERS_FOR_FLAGS or stats.facility is None:
        return ()
    flags: list[Flag] = []
    if stats.facility > TOO_EASY_ABOVE:
        flags.append(
            Flag(
                "too_easy",
                f"too easy: {stats.facility:.0f}% right; it tells you little about who learned "
                "the lesson (make the wrong choices more plausible, or drop it)",
            )
        )
    elif stats.facility < TOO_HARD_BELOW:
        flags.append(
            Flag(
                "too_hard",
                f"too hard: only {stats.facility:.0f}% right; check the answer key and the "
                "wording, and that a card teaches it",
            )
        )
    d = stats.discrimination
    if d is not None and d < 0:
        flags.append(
            Flag(
                "negative_discrimination",
                f"negative discrimination ({d:.2f}): students who did well on the rest of the "
                "quiz got this wrong more often; check the answer key",
            )
        )
    elif d is not None and d < LOW_DISCRIMINATION_BELOW:
        flags.append(
            Flag(
                "low_discrimination",
                f"near-zero discrimination ({d:.2f}): it does not separate students who know "
                "the lesson from those who do not; check the answer key and the wording",
            )
        )
    right = [c for c in stats.choices if c.right]
    if right:
        least_right = min(right, key=lambda c: c.count)
        wrong = [c for c in stats.choices if not c.right]
        choice = max(wrong, key=lambda c: c.count, default=None)
        if choice is not None and choice.count > least_right.count:
            flags.append(
                Flag(
                    "wrong_choice",
                    f"wrong choice {_quote(choice.text)} was picked more often ({choice.count}) "
                    f"than the right {_quote(least_right.text)} ({least_right.count}): a shared "
                    "misconception, or a wrong answer key",
                )
            )
    return tuple(flags)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def _clamp(score: float) -> float:
    """Scores are 0..1; a corrupt stored value must not poison the figures."""
    return min(1.0, max(0.0, score)) if math.isfinite(score) else 0.0


def _quote(text: str, width: int = 40) -> str:
    return "“" + textwrap.shorten(text, width, placeholder="…") + "”"


# --------------------------------------------------------------------------- renderers

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


def _num(value: float | None, spec: str = ".2f") -> str:
    return format(value, spec) if value is not None else "—"


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
    return "\n\n".join(_table(report, width) for report in reports) + "\n"


def _table(report: LessonReport, width: int) -> str:
    quiz = report.quiz
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    heading = f"{' '.join(report.lesson_title.split())} ({report.lesson_id})"
    lines = [*wrap.wrap(heading), "=" * min(width, len(heading))]
    who = (
        f"{_RULE_WORDS[report.rule].capitalize()}: {_plural(quiz.students, 'student')}, "
        f"{_plural(quiz.attempts, 'attempt')}"
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
            f"{_plural(report.outdated_answers, 'answer')} to an older version of a question"
        )
    if report.unfinished_attempts:
        left_out.append(_plural(report.unfinished_attempts, "unfinished attempt"))
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
    header = f"{'#':>3}  {'question':<22} {'type':<10} {'answers':>7} {'right':>7} "
    header += f"{'discrim.':>9} {'avg time':>8}  flags"
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
            f"{_seconds(q.average_seconds):>8}  "
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
                [
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
                ]
            )
    return out.getvalue()


def render_json(reports: Sequence[LessonReport]) -> str:
    """Everything in the reports, as JSON (``null`` where a statistic cannot be computed)."""
    payload = {"lessons": [report.as_dict() for report in reports]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- the score store

# The tables of the score store this module reads (quizapp/store.py creates them; this query
# is the only place outside it that knows them):
#   students(id, name, ...)
#   attempts(id, student_id, lesson_id, lesson_hash, status, mode, started_at, finished_at, ...)
#       status: in_progress | finished | abandoned (an abandoned attempt has a finished_at
#       too: it is when it was given up); mode: full | retry (a retry of missed questions)
#   answers(id, attempt_id, question_id, question_hash, response (JSON), score, seconds, ...)
RECORDS_SQL = """
SELECT a.student_id, a.id, a.lesson_id, an.question_id, an.question_hash,
       an.response, an.score, an.seconds, a.started_at,
       CASE WHEN a.status = 'finished' THEN a.finished_at END AS finished,
       a.mode = 'retry' AS retry
FROM answers AS an
JOIN attempts AS a ON a.id = an.attempt_id
ORDER BY a.started_at, a.id, an.answered_at, an.id
"""


def load_records(db_path: Path) -> list[AnswerRecord]:
    """Every stored answer, read from the SQLite score store at ``db_path``.

    The file is opened read-only, so a report never changes it (it also works on a copy the
    instructor cannot write to). A database of an older schema is first brought up to date
    by :meth:`quizapp.store.Store.open`, as every command that opens it does.

    Raises :class:`ReportError` with a message for the instructor when the file is missing,
    is not a SQLite database, is another program's database, or was written by a newer
    quizapp.
    """
    if not db_path.is_file():
        raise ReportError(f"no score database at {db_path}")
    not_ours = f"{db_path} is not a quizapp score database"
    for _ in range(2):
        try:
            conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise ReportError(f"cannot open {db_path}: {exc}") from None
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise ReportError(f"{not_ours} (it may belong to another program)")
            if version > SCHEMA_VERSION:
                raise ReportError(
                    f"{db_path} was written by a newer version of quizapp (schema {version}); "
                    "update quizapp to report on it"
                )
            if version == SCHEMA_VERSION:
                rows = conn.execute(RECORDS_SQL).fetchall()
                return [_record(row) for row in rows]
        except sqlite3.DatabaseError as exc:
            raise ReportError(f"{not_ours}, or it is damaged ({exc})") from None
        finally:
            conn.close()
        # An older schema: upgrade it the way the app would, then read again.
        try:
            Store.open(db_path, create=False).close()
        except StoreError as exc:
            raise ReportError(str(exc)) from None
    raise ReportError(f"{db_path} could not be brought up to date")  # pragma: no cover


def _record(row: Sequence[Any]) -> AnswerRecord:
    (
        student,
        attempt,
        lesson,
        question,
        qhash,
        response,
        score,
        seconds,
        started,
        finished,
        retry,
    ) = row
    try:
        value = json.loads(response) if isinstance(response, str | bytes) else response
    except ValueError:
        value = response
    return AnswerRecord(
        student=str(student),
        attempt_id=str(attempt),
        lesson_id=str(lesson),
        question_id=str(question),
        question_hash=str(qhash),
        response=value,
        score=float(score) if isinstance(score, int | float) else 0.0,
        seconds=float(seconds) if isinstance(seconds, int | float) else None,
        attempt_started=_iso(started) or "",
        attempt_finished=_iso(finished),
        retry=bool(retry),
    )


def _iso(value: Any) -> str | None:
    """Timestamps as ISO 8601 text; a number is read as Unix seconds (UTC)."""
    if value is None:
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return dt.datetime.fromtimestamp(value, dt.UTC).isoformat()
    return str(value)
