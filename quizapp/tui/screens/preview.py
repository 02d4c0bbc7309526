"""``quizapp preview FILE``: one lesson file as a student sees it, reloaded on every save.

The instructor edits the file in their own editor; every :data:`POLL_SECONDS` the preview
looks at the file's modification time, size and inode (no new dependency, no file-system
events: an editor that saves by writing a new file and renaming it is caught too). When they
change, the file is loaded again with the same loader as ``quizapp validate``:

* if it loads, the outline, the card being read and the question being answered show the
  new version at once;
* if it does not, a problems panel (``file:line:col: message``) appears at the bottom of
  whatever screen is showing, and the last good version stays visible until the file is
  fixed; then the panel goes.

Cards and questions are shown by the student's own screens (:class:`CardsScreen`,
:class:`QuizScreen`), so what the instructor sees is what a student will see. Answers go to
a scratch score database made for the preview (see :func:`quizapp.tui.app.make_app`),
never to the real one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from quizapp.flow import Phase, QuizFlow
from quizapp.lessons.loader import LessonError, load_file
from quizapp.lessons.model import Lesson
from quizapp.session import SessionError
from quizapp.store import Store, StoreError, Student
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.screens.cards import CardsScreen
from quizapp.tui.screens.quiz import QuizScreen, start_quiz

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

__all__ = [
    "POLL_SECONDS",
    "PREVIEW_STUDENT",
    "PreviewQuestionScreen",
    "PreviewScreen",
    "ProblemsPanel",
    "file_signature",
    "start_preview",
]

POLL_SECONDS = 0.5
PREVIEW_STUDENT = "Preview"

Signature = tuple[int, int, int]


def file_signature(path: Path) -> Signature | None:
    """What tells a saved file from the one before: modification time (ns), size and inode.
    None when the file cannot be looked at (an editor may be replacing it)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def start_preview(app: QuizApp, path: Path) -> None:
    """Open the preview of ``path`` in ``app``: the scratch score database, a student for
    it (no sign-in), and the preview screen."""
    try:
        app.store = Store.open(app.db_path)
        app.student = app.store.student(PREVIEW_STUDENT)
    except StoreError as exc:
        app.notify(
            f"{exc}\nThe cards can be read, but the quiz cannot be tried.",
            title="Scratch score database",
            severity="error",
            timeout=20,
            markup=False,
        )
    app.push_screen(PreviewScreen(path))


class ProblemsPanel(Static):
    """The problems of the lesson file, at the bottom of the screen that is showing."""


def scratch_flow(
    store: Store,
    student: Student,
    lesson: Lesson,
    *,
    seed: int | None = None,
    only: list[str] | None,
) -> QuizFlow:
    """A quiz flow on a new attempt in the preview's scratch database: an unfinished one
    there (an earlier try of the file) is given up without asking."""
    flow = QuizFlow(store, student, lesson, seed=seed)
    if flow.open(only) is Phase.CHOOSING:
        flow.start_over()
    return flow


class PreviewQuestionScreen(QuizScreen):
    """One question of the lesson, exactly as in the quiz; after it, back to the outline
    (not to a results screen)."""

    def finish(self) -> None:
        """Close the one-question attempt and go back."""
        self.dismiss()


class PreviewScreen(AppScreen):
    """The outline of the previewed lesson (its cards and questions), kept in step with the
    file on disk."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="open", show=True),
        Binding("c", "cards", "Read cards", id="cards"),
        Binding("t", "quiz", "Take quiz", id="quiz"),
        Binding("f5", "check", "Reload", id="reload"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.lesson: Lesson | None = None
        self.problems: list[LessonError] = []
        self.signature: Signature | None = None
        self.loaded_at: dt.datetime | None = None
        self.reloads = 0  # good versions shown so far (the first load included)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="preview-title", classes="heading", markup=False)
        yield Label(id="preview-status", classes="muted", markup=False)
        yield OptionList(id="preview-outline")
        yield ProblemsPanel(id="preview-problems", classes="problems-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Preview of {self.path}"
        self.query_one("#preview-problems").display = False
        self.check_file(force=True)
        self.set_interval(POLL_SECONDS, self.check_file)
        self.query_one("#preview-outline", OptionList).focus()

    # ------------------------------------------------------------------ watching the file

    def action_check(self) -> None:
        """Load the file again now, changed or not."""
        self.check_file(force=True)

    def check_file(self, force: bool = False) -> None:
        """Reload the file if it changed since the last look (or ``force``); keep the
        problems panel on whatever screen is showing while the file is broken."""
        signature = file_signature(self.path)
        changed = force or signature != self.signature
        if changed:
            self.signature = signature
            lesson, errors = load_file(self.path)
            if lesson is not None and not errors:
                self._apply(lesson)
            else:
                self._broken(errors)
        self._place_panels(update=changed)

    def _apply(self, lesson: Lesson) -> None:
        """A good version: show it everywhere it is shown."""
        app = self.quiz_app
        first = self.lesson is None
        self.lesson = lesson
        self.problems = []
        self.loaded_at = dt.datetime.now()
        self.reloads += 1
        app.show_only(lesson, self.path)
        self._fill_outline()
        self._status()
        for screen in app.screen_stack:
            if isinstance(screen, CardsScreen):
                screen.lesson = lesson
                screen.query_one(ProgressBar).update(total=len(lesson.cards))
                screen.show(min(screen.index, len(lesson.cards) - 1))
        top = app.screen
        if isinstance(top, QuizScreen):
            self._reopen_quiz(top, lesson)
        if not first:
            self.notify(f"Reloaded {self.path.name}", timeout=2, markup=False)

    def _reopen_quiz(self, screen: QuizScreen, lesson: Lesson) -> None:
        """The quiz showing was made from the old version. If none of its questions changed
        it stays as it is; else the new version takes its place, in the same order (the
        same question when only one was being tried, else the quiz from its start)."""
        app = self.quiz_app
        store, student = app.store, app.student
        new = {q.id: q.content_hash() for q in lesson.quiz.questions}
        asked = screen.session.questions
        if all(new.get(q.id) == q.content_hash() for q in asked):
            screen.lesson = lesson  # cards and sources its feedback points to
            return
        if store is None or student is None:
            return
        single = isinstance(screen, PreviewQuestionScreen)
        only = [q.id for q in asked if q.id in new] if single else None
        if single and not only:
            app.pop_screen()  # the question is gone from the file
            return
        try:
            flow = scratch_flow(store, student, lesson, seed=screen.session.seed, only=only)
        except (StoreError, SessionError) as exc:
            self.notify(f"Could not restart the quiz: {exc}", severity="error", markup=False)
            return
        replacement = (PreviewQuestionScreen if single else QuizScreen)(lesson, flow)
        app.switch_screen(replacement)
        if not single:
            self.notify("A question changed: the quiz started again.", timeout=4)

    def _broken(self, errors: list[LessonError]) -> None:
        """A broken version: keep the last good one, list the problems."""
        self.problems = errors or [LessonError(self.path, 1, 1, "the file could not be loaded")]
        self._status()

    def _status(self) -> None:
        title = self.query_one("#preview-title", Label)
        status = self.query_one("#preview-status", Label)
        if self.lesson is not None:
            title.update(self.lesson.title)
        else:
            title.update(f"{self.path.name}: nothing to show yet")
        when = self.loaded_at.strftime("%H:%M:%S") if self.loaded_at else "never"
        if self.problems:
            shown = "the last good version" if self.lesson else "nothing until it loads"
            status.update(f"{self.path} has problems; showing {shown} (loaded {when}).")
        else:
            status.update(f"Watching {self.path} · loaded {when} · answers are not recorded")

    def _panel_text(self) -> Text:
        count = len(self.problems)
        text = Text(
            f"{self.path.name}: {count} problem{'s' if count != 1 else ''}"
            + (" (showing the last good version)" if self.lesson else "")
            + "\n",
            style="bold",
        )
        text.append("\n".join(str(problem) for problem in self.problems))
        return text

    def _place_panels(self, update: bool) -> None:
        """While the file is broken, every full screen of the preview carries the problems
        panel (a screen opened since gets one too); once it is fixed, the panels go.
        ``update``: the problems may have changed, so redraw the panels."""
        screens = [s for s in self.app.screen_stack if not isinstance(s, ModalScreen)]
        if not self.problems:
            self.query_one("#preview-problems").display = False
            for screen in screens:
                if screen is not self:
                    for panel in screen.query(ProblemsPanel):
                        panel.remove()
            return
        content = self._panel_text()
        own = self.query_one("#preview-problems", ProblemsPanel)
        if update:
            own.update(content)
        own.display = True
        for screen in screens:
            if screen is self or not screen.is_mounted:
                continue
            panels = screen.query(ProblemsPanel)
            if not panels:
                screen.mount(ProblemsPanel(content, classes="problems-panel"))
            elif update:
                for panel in panels:
                    panel.update(content)

    # ------------------------------------------------------------------ the outline

    def _fill_outline(self) -> None:
        outline = self.query_one("#preview-outline", OptionList)
        highlighted = outline.highlighted
        outline.clear_options()
        lesson = self.lesson
        if lesson is None:
            return
        questions = len(lesson.quiz.questions)
        outline.add_option(
            Option(
                Text(f"▶ Take the quiz ({questions} questions), as a student takes it", "bold"),
                id="quiz",
            )
        )
        outline.add_option(None)
        for number, card in enumerate(lesson.cards, start=1):
            label = Text(f"Card {number}: ", style="bold")
            label.append(card.title)
            outline.add_option(Option(label, id=f"card-{number - 1}"))
        outline.add_option(None)
        for number, question in enumerate(lesson.quiz.questions, start=1):
            label = Text(f"Q{number} ", style="bold")
            label.append(f"[{question.type}] ", style="dim")
            label.append(" ".join(question.prompt.split()))
            outline.add_option(Option(label, id=f"question-{question.id}"))
        if outline.option_count:
            outline.highlighted = min(highlighted or 0, outline.option_count - 1)

    @on(OptionList.OptionSelected, "#preview-outline")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option.id)

    def action_open(self) -> None:
        """Open what is highlighted: the quiz, a card, or one question."""
        outline = self.query_one("#preview-outline", OptionList)
        if outline.highlighted is not None:
            self._open(outline.get_option_at_index(outline.highlighted).id)

    def _open(self, option_id: str | None) -> None:
        lesson = self.lesson
        if lesson is None or option_id is None:
            return
        if option_id == "quiz":
            self.action_quiz()
        elif option_id.startswith("card-"):
            self.app.push_screen(CardsScreen(lesson, start=int(option_id.removeprefix("card-"))))
        elif option_id.startswith("question-"):
            self.open_question(option_id.removeprefix("question-"))

    def open_question(self, question_id: str) -> None:
        """Try one question as the quiz shows it."""
        app, lesson = self.quiz_app, self.lesson
        if lesson is None or app.store is None or app.student is None:
            return
        try:
            flow = scratch_flow(app.store, app.student, lesson, only=[question_id])
        except (StoreError, SessionError) as exc:
            self.notify(f"Could not open the question: {exc}", severity="error", markup=False)
            return
        app.push_screen(PreviewQuestionScreen(lesson, flow))

    def action_cards(self) -> None:
        """Read the cards from the first."""
        if self.lesson is not None:
            self.app.push_screen(CardsScreen(self.lesson, start=0))

    def action_quiz(self) -> None:
        """Take the whole quiz as a student would."""
        if self.lesson is not None:
            start_quiz(self.quiz_app, self.lesson)
