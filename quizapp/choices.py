"""The order a question's choices are shown in: fixed by the attempt's seed and the
question's id (``Random(f"{seed}:{question id}")``), so a question shows the same order on a
resume, in a review and on any platform, whatever the other questions of the attempt."""

from __future__ import annotations

import random

from quizapp.lessons.model import (
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
)

__all__ = ["display_choices"]


def display_choices(question: Question, seed: int, shuffle: bool = True) -> list[str]:
    """What a question shows to choose from, in display order, deterministic from ``seed``.

    * single / multi: the choices' texts, shuffled when ``shuffle`` (else as written);
    * order: the items in a scrambled starting order, never already right (3+ items);
    * match: the right-hand options (partners and distractors), always shuffled, since in
      the written order they would line up with their left items;
    * other types: an empty list (nothing to choose from).
    """
    rng = random.Random(f"{seed}:{question.id}")
    if isinstance(question, SingleQuestion | MultiQuestion):
        texts = [choice.text for choice in question.options]
        if shuffle:
            rng.shuffle(texts)
        return texts
    if isinstance(question, OrderQuestion):
        items = list(question.items)
        rng.shuffle(items)
        if items == list(question.items) and len(items) >= 2:
            # Shown in the right order it would answer itself: rotate by one instead.
            items = items[1:] + items[:1]
        return items
    if isinstance(question, MatchQuestion):
        options = list(dict.fromkeys([*question.pairs.values(), *question.distractors]))
        rng.shuffle(options)
        return options
    return []
