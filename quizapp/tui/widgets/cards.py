"""How a lesson card looks: Markdown body, a drawn timeline, and its sources.

Cards are rendered with Rich's Markdown inside a ``Static``: swapping a card costs about a
quarter of what Textual's ``Markdown`` widget costs (see docs/performance.md), and lesson
cards need no links or tables of contents.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from quizapp.grading import Grade, right_answer
from quizapp.lessons.model import Card, Lesson, Question, parse_partial_date
from quizapp.text import clean


def timeline_renderable(card: Card) -> RenderableType:
    """The card's events in date order, drawn as a vertical timeline."""
    events = sorted(card.timeline or [], key=lambda event: parse_partial_date(event.date))
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for index, event in enumerate(events):
        last = index == len(events) - 1
        table.add_row(event.shown_date, "●", Markdown(event.text))
        if not last:
            table.add_row("", "│", "")
    return table


def card_renderable(lesson: Lesson, index: int) -> RenderableType:
    """Everything a student reads on card ``index`` (0-based) of ``lesson``."""
    card = lesson.cards[index]
    parts: list[RenderableType] = []
    if card.body:
        parts.append(Markdown(card.body))
    if card.timeline:
        if parts:
            parts.append(Text(""))
        parts.append(timeline_renderable(card))
    cited = [lesson.source(ref) for ref in card.sources]
    if cited:
        parts.append(Text(""))
        parts.append(sources_text([s.citation() for s in cited if s is not None]))
    return Group(*parts)


def hint_text(hint: str) -> Text:
    """A question's hint as the student reveals it: literal text (never markup), cleaned."""
    text = Text("Hint: ", style="bold")
    text.append(clean(hint))
    return text


def sources_text(citations: list[str]) -> Text:
    """A dim "Sources:" block under a card or an answer's feedback."""
    text = Text("Sources: ", style="bold dim")
    text.append("; ".join(citations), style="dim")
    return text


def answer_feedback(
    question: Question, lesson: Lesson, grade: Grade, *, not_right: str
) -> list[RenderableType]:
    """What a student sees after answering, in the quiz and in a review alike: right or not
    (``not_right`` words the miss for the screen), the right answer when missed, the
    grader's remarks, the explanation and the sources."""
    parts: list[RenderableType] = []
    if grade.correct:
        parts.append(Text("✔ Right!", style="bold green"))
    elif grade.score > 0:
        parts.append(Text(f"◐ Partly right ({grade.score:.0%}).", style="bold yellow"))
    else:
        parts.append(Text(not_right, style="bold red"))
    if not grade.correct:
        answer = Text("The answer: ", style="bold")
        answer.append(right_answer(question), style="")
        parts.append(answer)
    parts.extend(Text(line, style="italic") for line in grade.feedback)
    if question.explanation:
        parts.append(Markdown(question.explanation))
    citations = [s.citation() for ref in question.sources if (s := lesson.source(ref))]
    if citations:
        parts.append(sources_text(citations))
    return parts
