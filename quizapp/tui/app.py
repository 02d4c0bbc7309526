"""The Textual app and the one factory that the CLI and the tests both use."""

from __future__ import annotations

import datetime as dt
import gc
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from quizapp.lessons.catalog import Catalog, LessonHeader, load_lesson, scan
from quizapp.paths import lesson_cache_file
from quizapp.store import Store, StoreError, Student

if TYPE_CHECKING:
    from quizapp.lessons.model import Lesson

HIGH_CONTRAST = Theme(
    name="quizapp-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffaa00",
    error="#ff5555",
    dark=True,
)


def utc_now() -> dt.datetime:
    """The exam clock's default, :func:`quizapp.exam.utc_now`; imported when first asked, so
    that starting the app does not import the quiz engine (and pydantic) before a lesson is
    opened."""
    from quizapp.exam import utc_now as now

    return now()


class QuizApp(App[None]):
    """The student's app: profile, lesson list, cards, quiz, results and history."""

    CSS_PATH = "quizapp.tcss"
    TITLE = "quizapp"
    SUB_TITLE = "US–Central America security history"
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        lessons_dir: Path,
        db_path: Path | str,
        student: str | None = None,
        seed: int | None = None,
        *,
        instructor: bool = False,
        preview: Path | None = None,
    ) -> None:
        super().__init__()
        #: Fixes the shuffle of every attempt (tests, snapshots, benchmarks); None = random.
        self.seed = seed
        #: The clock of exam time limits (tests set a fake one; issue 16).
        self.clock = utc_now
        self.lessons_dir = lessons_dir
        self.db_path = db_path
        self.requested_student = student
        self.catalog = Catalog()
        self._loaded: dict[str, Lesson] = {}
        self.store: Store | None = None
        self.student: Student | None = None
        # Instructor modes (quizapp --instructor, quizapp preview FILE); see on_mount.
        self.instructor = instructor
        self.preview = preview
        self.scratch: tempfile.TemporaryDirectory[str] | None = None  # preview's score db
        # Spaced review: items per session (--review-limit, see review_limit); open it
        # after sign-in (quizapp review).
        self._review_limit: int | None = None
        self.start_in_review = False
        #: Set by the CLI when it has paused the cyclic garbage collector for start-up: the
        #: app resumes it once its first screen is drawn (:meth:`_resume_gc`).
        self.gc_paused = False

    @property
    def review_limit(self) -> int:
        """Items per review session: ``--review-limit``, else the review's default
        (:data:`quizapp.review.DEFAULT_REVIEW_LIMIT`, read when first asked, so that a start
        does not import the review engine; docs/performance.md, issue 19)."""
        if self._review_limit is not None:
            return self._review_limit
        from quizapp.review import DEFAULT_REVIEW_LIMIT

        return DEFAULT_REVIEW_LIMIT

    @review_limit.setter
    def review_limit(self, limit: int) -> None:
        self._review_limit = limit

    def action_help_quit(self) -> None:
        """Ctrl+C says how to quit. Textual words this hint as markup (``[b]ctrl+q[/b]``),
        which :meth:`notify` shows literally, so the app words it itself, in plain text."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                key = self.get_key_display(active.binding)
                self.notify(f"Press {key} to quit the app.", title="Do you want to quit?")
                return

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification, always as literal text.

        Notifications carry names, paths, lesson text and error messages, any of which may
        hold ``[``/``]``: read as markup, ``[/]`` would crash the app. Every notification of
        the app and its widgets comes through here (``Widget.notify`` calls it), so ``markup``
        is ignored: one place for the rule, not a flag to remember at each call.
        """
        del markup
        if timeout is None:
            super().notify(message, title=title, severity=severity, markup=False)
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @property
    def lessons(self) -> list[LessonHeader]:
        """The lessons that loaded, in file-name order (headers; see :meth:`lesson`)."""
        return self.catalog.headers

    def header(self, lesson_id: str) -> LessonHeader | None:
        """The list's view of a lesson, by id."""
        return self.catalog.header(lesson_id)

    def lesson(self, lesson_id: str) -> Lesson | None:
        """The whole lesson, loaded (and validated) the first time it is needed.

        A file that was broken after the list was made gets its problems shown, not a crash.
        """
        if lesson_id in self._loaded:
            return self._loaded[lesson_id]
        header = self.header(lesson_id)
        if header is None:
            return None
        lesson, problems = load_lesson(header)
        if lesson is None:
            details = "\n".join(str(p) for p in problems[:5])
            self.notify(details, title="This lesson file has problems", severity="error")
            return None
        self._loaded[lesson_id] = lesson
        return lesson

    def show_only(self, lesson: Lesson, path: Path) -> None:
        """Make ``lesson`` (already loaded, e.g. by the preview) the app's only lesson."""
        from quizapp.lessons.catalog import header_of

        self.catalog = Catalog(headers=[header_of(lesson, path)])
        self._loaded = {lesson.id: lesson}

    def _resume_gc(self) -> None:
        """The first screen is drawn: start-up is over. What it made (modules, classes, the
        app and its widgets: about 77,000 objects, nearly all living as long as the app) is frozen,
        never walked by the collector again, and the collector runs again for what the
        session makes. (Re-enabled without the freeze, its first pass would walk all of
        them at once: about 50 ms, just as the student starts to type.)"""
        if self.gc_paused:
            self.gc_paused = False
            gc.freeze()
            gc.enable()

    def on_mount(self) -> None:
        self._show_first_screen()
        if self.gc_paused:  # after the first frame of the screen just pushed
            self.screen.call_after_refresh(self._resume_gc)

    def _show_first_screen(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        if self.preview is not None:  # quizapp preview FILE: no sign-in, a scratch database
            from quizapp.tui.screens.preview import start_preview

            start_preview(self, self.preview)
            return
        self.catalog = scan([self.lessons_dir], lesson_cache_file())
        if self.instructor:  # quizapp --instructor: the class view, behind the passphrase
            self.store = self._open_store(create=False)
            self.open_class_view(standalone=True)
            return
        self.store = self._open_store()
        if self.has_roster:  # a class roster: name and PIN, never a name alone
            from quizapp.tui.screens.signin import SignInScreen

            self.push_screen(SignInScreen(self.requested_student))
        elif self.requested_student and self.store is not None:
            self.sign_in(self.requested_student)
        else:
            from quizapp.tui.screens.student import StudentScreen

            self.push_screen(StudentScreen())

    @property
    def has_roster(self) -> bool:
        """Whether students sign in with name and PIN (the database has a roster)."""
        return self.store is not None and bool(self.store.has_roster())

    @property
    def class_view_guarded(self) -> bool:
        """Whether the instructor's passphrase is set (then the class view asks for it; else
        students are not offered it at all)."""
        try:
            return self.store is not None and self.store.has_instructor_passphrase()
        except StoreError:
            return False

    def open_class_view(self, *, standalone: bool = False) -> None:
        """The class view, after the instructor's passphrase when one is set. Without one,
        ``quizapp --instructor`` opens it with a warning that anyone here can read it."""
        from quizapp.tui.screens.instructor import InstructorScreen
        from quizapp.tui.screens.signin import PassphraseScreen

        if not self.class_view_guarded:
            if standalone and self.store is not None:
                self.notify(
                    "The class view is open: anyone at this computer can read every score. "
                    "Set a passphrase with: quizapp instructor set-passphrase",
                    title="No instructor passphrase",
                    severity="warning",
                    timeout=30,
                    markup=False,
                )
            if standalone:
                self.push_screen(InstructorScreen(standalone=True))
            return

        def answered(right: bool | None) -> None:
            if right:
                self.push_screen(InstructorScreen(standalone=standalone))
            elif standalone:
                self.exit()

        self.push_screen(PassphraseScreen(self.store), answered)

    def _open_store(self, *, create: bool = True) -> Store | None:
        try:
            # The class view only reads: read-only, so it changes nothing in the file (and a
            # big class's file is not checked whole, 0.7 s at a million answers, first).
            store = Store.open(self.db_path) if create else Store.open(self.db_path, readonly=True)
        except StoreError as exc:
            consequence = (
                "You can read lessons and take quizzes, but nothing will be saved when you quit."
                if create
                else "There are no scores to show."
            )
            self.notify(
                f"{exc}\n{consequence}",
                title="Scores unavailable",
                severity="error",
                timeout=30,
                markup=False,  # a path like /tmp/[x]/ is shown as it is, not read as markup
            )
            if not create:  # the class view: nothing to show, and nothing to make up
                return None
            try:  # the file is left alone; this run keeps its scores in memory
                return Store.open(":memory:")
            except StoreError:
                return None
        for notice in store.notices:
            self.notify(
                notice, title="Scores database", severity="warning", timeout=30, markup=False
            )
        return store

    def sign_in(self, name: str, *, verified: bool = False) -> None:
        """Make ``name`` the current student and show the lesson list. With a roster, only a
        name whose PIN was checked (``verified``) is let in; anything else goes back to the
        sign-in screen."""
        from quizapp.tui.screens.lessons import LessonListScreen

        if not verified and self.has_roster:
            from quizapp.tui.screens.signin import SignInScreen

            self.switch_or_push(SignInScreen(name))
            return

        if self.store is not None:
            try:
                self.student = self.store.student(name)
            except StoreError as exc:
                self.notify(str(exc), title="Scores database", severity="error", markup=False)
        self.requested_student = name
        self.switch_or_push(LessonListScreen())
        if self.start_in_review:
            self.start_in_review = False
            self.open_review()

    def open_review(self) -> None:
        """A review of the student's due items (the list's ``v``, the palette, quizapp
        review)."""
        from quizapp.tui.screens.review import start_review

        start_review(self)

    @property
    def student_name(self) -> str:
        """The current student's name, exactly as typed."""
        if self.student is not None:
            return self.student.name
        return self.requested_student or "guest"

    def switch_or_push(self, screen: Screen[None]) -> None:
        """Show ``screen`` on top of the default screen, replacing anything else."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def open_lesson(self, lesson_id: str) -> None:
        """Open a lesson's cards (from the lesson list or the command palette)."""
        from quizapp.tui.screens.cards import CardsScreen

        lesson = self.lesson(lesson_id)
        if lesson is not None:
            self.push_screen(CardsScreen(lesson))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette can jump to any lesson."""
        yield from super().get_system_commands(screen)
        if self.student is None and self.requested_student is None:
            return
        yield SystemCommand(
            "Review due items",
            "Spaced review of the questions due now, across lessons",
            self.open_review,
        )
        for lesson in self.lessons:
            # The palette reads titles and help as markup: a title with "[/]" would crash it.
            yield SystemCommand(
                f"Open lesson: {escape(lesson.title)}",
                escape(lesson.summary),
                partial(self.open_lesson, lesson.id),
            )

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from quizapp.tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()
        if self.scratch is not None:
            self.scratch.cleanup()


def make_app(
    lessons_dir: Path | None = None,
    db_path: Path | str | None = None,
    student: str | None = None,
    seed: int | None = None,
    *,
    instructor: bool = False,
    preview: Path | None = None,
) -> QuizApp:
    """Build the app: the only way the CLI and tests create one.

    ``seed`` fixes the shuffle of every attempt (tests, snapshots, benchmarks). ``instructor``
    opens the class view (gradebook and item analysis of ``db_path``) with no student
    sign-in. ``preview`` opens one lesson file as a student sees it and reloads it when it is
    saved; answers then go to a scratch database of its own (removed on exit), so ``db_path``
    must not be given.
    """
    if preview is not None:
        if db_path is not None:
            raise ValueError("a preview records answers in a scratch database; give no db_path")
        scratch = tempfile.TemporaryDirectory(prefix="quizapp-preview-")
        app = QuizApp(
            lessons_dir=lessons_dir or preview.parent,
            db_path=Path(scratch.name) / "preview.sqlite3",
            seed=seed,
            preview=preview,
        )
        app.scratch = scratch
        return app
    if lessons_dir is None or db_path is None:
        raise ValueError("make_app needs lessons_dir and db_path (or a preview file)")
    return QuizApp(
        lessons_dir=lessons_dir, db_path=db_path, student=student, seed=seed, instructor=instructor
    )
