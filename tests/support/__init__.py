"""Helpers the tests share (never fixtures: those are in ``conftest.py``).

- :mod:`tests.support.lessons`: the minimal lesson's text, the repository root, ``line_of``;
- :mod:`tests.support.store`: lessons built in code, right and wrong responses, a fake clock,
  an old-schema database;
- :mod:`tests.support.tui`: screen text without styles;
- ``crash_child.py`` and ``writer_child.py``: processes the crash and concurrency tests run.

The generated class (many students answering the demo lesson) is shared with the benchmarks,
so it lives in :mod:`benchmarks.classdata`: benchmarks import no test module.
"""
