"""The Textual app and the one factory that the CLI and the tests both use."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from quizapp.loader import load_paths


class QuizApp(App[None]):
    """The student's app (lesson list for now; cards and quiz come with the TUI issue)."""

    TITLE = "quizapp"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, lessons_dir: Path, db_path: Path, student: str | None = None) -> None:
        super().__init__()
        self.lessons_dir = lessons_dir
        self.db_path = db_path
        self.student = student

    def compose(self) -> ComposeResult:
        result = load_paths([self.lessons_dir])
        yield Header()
        lines = [f"• {lesson.title}" for lesson in result.lessons]
        lines += [f"! {error}" for error in result.errors]
        yield Static("\n".join(lines) or "No lessons found.", markup=False)
        yield Footer()


def make_app(lessons_dir: Path, db_path: Path, student: str | None = None) -> QuizApp:
    """Build the app: the only way the CLI and tests create one."""
    return QuizApp(lessons_dir=lessons_dir, db_path=db_path, student=student)
