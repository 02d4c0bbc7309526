"""The lesson list: what to study next, progress, best scores, and files that failed to load."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.lessons.catalog import LessonHeader
from quizapp.store import RULES, LessonSummary, StoreError
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.footer import StableFooter
from quizapp.tui.widgets.title_bar import TitleBar
from quizapp.wording import attempt_note

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def due_line(app: QuizApp, due: dict[str, int] | None = None) -> str:
    """ "5 items due for review (v)", or when the next one is due; "" with none at all.

    ``due``: the items due now per lesson, when the caller has just read them. Asked of the
    store directly (as :func:`quizapp.review.summary` does), so that showing the lesson list
    does not import the review engine (docs/performance.md, issue 19).
    """
    store, student = app.store, app.student
    if store is None or student is None:
        return ""
    try:
        now = store.review_now()
        total = sum((store.due_counts(student.id, now) if due is None else due).values())
        next_due = None if total else store.next_due(student.id, now)
    except StoreError:
        return ""
    if total:
        items = "item" if total == 1 else "items"
        return f"{total} {items} due for review (v)"
    if next_due is not None:
        local = next_due.astimezone()
        return f"nothing due, next review {local:%Y-%m-%d %H:%M}"
    return ""


class LessonListScreen(AppScreen):
    """Every lesson with its time, reading progress, best score and pass state."""

    #: Review items due now per lesson id (filled with the list).
    due: dict[str, int]

    BINDINGS = [
        Binding("enter", "open", "Read", id="open", show=True),
        Binding("t", "quiz", "Take quiz", id="quiz"),
        Binding("h", "history", "History", id="history"),
        Binding("v", "review", "Review", id="review"),
        Binding("s", "switch_student", "Switch student", id="switch-student"),
        Binding("i", "instructor", "Class view", id="instructor"),
    ]

    def compose(self) -> ComposeResult:
        # Textual's Header, drawn by one widget: this is the first screen of every start.
        yield TitleBar()
        yield Static(id="greeting", classes="heading", markup=False)
        yield OptionList(id="lessons")
        yield Static(id="lesson-detail")
        problems = self.quiz_app.catalog.problems
        if problems:
            with VerticalScroll(id="problems"):
                count = len({p.path for p in problems})
                yield Label(
                    f"{count} lesson file{'s' if count != 1 else ''} could not be loaded "
                    "(run `quizapp validate` for details):",
                    classes="problems-title",
                )
                yield Static(
                    Text("\n".join(f"{p.path.name}:{p.line}: {p.message}" for p in problems)),
                    id="problem-list",
                )
        yield StableFooter()

    def on_mount(self) -> None:
        self.query_one("#lessons", OptionList).focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: the one place the list is filled.
        self.refresh_lessons()

    def refresh_lessons(self) -> None:
        """Redraw the list with fresh progress and scores from the store."""
        app = self.quiz_app
        summaries: dict[str, LessonSummary] = {}
        store, student = app.store, app.student
        self.due = {}
        if store is not None and student is not None:
            summaries = self.safely(lambda: store.lesson_summaries(student.id), "load scores") or {}
            now = store.review_now()
            self.due = self.safely(lambda: store.due_counts(student.id, now), "load reviews") or {}
        progress = self._progress(summaries)
        self.query_one("#greeting", Static).update(
            f"Hello, {app.student_name}. Pick a lesson (↑/↓, Enter):"
            + (f"\n{progress}" if progress else "")
        )
        options = self.query_one("#lessons", OptionList)
        highlighted = options.highlighted
        lessons = app.lessons
        # The list measures every option before it draws. With hundreds of lessons, describe
        # and draw a screenful first (every option is at least two lines), and the rest right
        # after that frame (see docs/performance.md).
        first = max(self.app.size.height // 2 + 1, (highlighted or 0) + 1)
        options.set_options(
            self._options(lessons[:first], summaries, 1)
            or [Option(Text(self._no_lessons_hint()), disabled=True)]
        )
        if len(lessons) > first:
            rest = partial(self._options, lessons[first:], summaries, first + 1)
            self.call_after_refresh(lambda: options.add_options(rest()))
        if lessons:
            options.highlighted = min(highlighted or 0, len(lessons) - 1)

    def _options(
        self, lessons: list[LessonHeader], summaries: dict[str, LessonSummary], start: int
    ) -> list[Option]:
        """The list's options for ``lessons``, numbered from ``start``."""
        return [
            Option(self._describe(number, lesson, summaries.get(lesson.id)), id=lesson.id)
            for number, lesson in enumerate(lessons, start=start)
        ]

    def _progress(self, summaries: dict[str, LessonSummary]) -> str:
        """The path through the module in one line: lessons passed, cards read, review."""
        lessons = self.quiz_app.lessons
        if not lessons:
            return ""
        passed = read = 0
        for lesson in lessons:
            summary = summaries.get(lesson.id)
            if summary is None:
                continue
            if summary.best_percent is not None and summary.best_percent >= lesson.pass_mark:
                passed += 1
            if summary.card_index is not None:
                read += min(summary.card_index + 1, lesson.cards)
        cards = sum(lesson.cards for lesson in lessons)
        parts = [f"{passed} of {len(lessons)} lessons passed", f"{read} of {cards} cards read"]
        due = due_line(self.quiz_app, self.due)
        return " · ".join([*parts, due] if due else parts)

    def _no_lessons_hint(self) -> str:
        """What to do when the folder holds no lesson (Text: the path is shown literally)."""
        folder = self.quiz_app.lessons_dir
        return (
            f"No lessons found in {folder}. Add lesson files (*.yaml) there, start one with "
            f"`quizapp new ID --lessons {folder}`, or run quizapp without --lessons for the "
            "lessons that come with it."
        )

    def _describe(self, number: int, lesson: LessonHeader, summary: LessonSummary | None) -> Text:
        """Two lines per lesson: its title, then time, progress and score.

        Plain text, not a table: the list measures every option, and with hundreds of
        lessons a table per option made the first frame several times slower. The
        highlighted lesson's summary shows in the panel under the list.
        """
        indent = " " * (len(str(number)) + 2)
        text = Text(f"{number}. ", style="bold")
        text.append(lesson.title, style="bold")
        text.append(f"\n{indent}")
        meta = Text(style="dim")
        meta.append(f"{lesson.minutes} min · {lesson.cards} cards")
        if summary is not None and summary.card_index is not None:
            meta.append(f" · read to card {summary.card_index + 1}")
        if summary is not None and summary.unfinished_attempt_id is not None:
            meta.append(" · quiz in progress", style="bold")
        due = self.due.get(lesson.id, 0)
        if due:
            meta.append(f" · {due} due", style="bold")
        rule = lesson.grade if lesson.grade in RULES else "best"
        best = summary.percent(rule) if summary is not None else None
        if lesson.attempts is not None:
            used = summary.attempts + summary.given_up if summary else 0
            meta.append(attempt_note(used, lesson.attempts))
        if best is None:
            meta.append(f" · no score yet · pass mark {lesson.pass_mark}%")
        else:
            passed = best >= lesson.pass_mark
            meta.append(f" · {rule} {best:.0f}% (pass {lesson.pass_mark}%) · ")
            meta.append(
                "✓ passed" if passed else "not passed yet",
                style="bold green" if passed else "bold yellow",
            )
        text.append_text(meta)
        return text

    @on(OptionList.OptionHighlighted, "#lessons")
    def _show_summary(self, event: OptionList.OptionHighlighted) -> None:
        header = self.quiz_app.header(event.option.id) if event.option.id else None
        self.query_one("#lesson-detail", Static).update(
            Text(header.summary) if header is not None else ""
        )

    def _selected(self) -> LessonHeader | None:
        options = self.query_one("#lessons", OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return self.quiz_app.header(option_id) if option_id else None

    @on(OptionList.OptionSelected, "#lessons")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Read the highlighted lesson's cards."""
        lesson = self._selected()
        if lesson is not None:
            self.quiz_app.open_lesson(lesson.id)

    def action_quiz(self) -> None:
        """Go straight to the highlighted lesson's quiz."""
        from quizapp.tui.screens.quiz import start_quiz

        header = self._selected()
        lesson = self.quiz_app.lesson(header.id) if header is not None else None
        if lesson is not None:
            start_quiz(self.quiz_app, lesson)

    def action_history(self) -> None:
        """The student's attempts and scores over time."""
        from quizapp.tui.screens.history import HistoryScreen

        lesson = self._selected()
        self.app.push_screen(HistoryScreen(lesson.id if lesson else None))

    def action_review(self) -> None:
        """Review the items due now, across lessons (spaced review)."""
        self.quiz_app.open_review()

    def action_switch_student(self) -> None:
        """Back to the profile picker (with a roster: the sign-in screen, name and PIN)."""
        from quizapp.tui.screens.signin import SignInScreen
        from quizapp.tui.screens.student import StudentScreen

        roster = self.quiz_app.has_roster
        self.quiz_app.switch_or_push(SignInScreen() if roster else StudentScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The class view is offered only when the instructor's passphrase guards it."""
        if action == "instructor":
            return self.quiz_app.class_view_guarded
        return True

    def action_instructor(self) -> None:
        """The instructor's class view, after the passphrase: gradebook and item analysis."""
        self.quiz_app.open_class_view()
