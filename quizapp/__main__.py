"""`python -m quizapp` runs the same entry point as the `quizapp` command."""

from quizapp.cli import main

raise SystemExit(main())
