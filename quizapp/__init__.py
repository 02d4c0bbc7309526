"""quizapp: a terminal teaching module with lesson cards, quizzes and a local gradebook."""

__version__ = "0.1.0"
