"""`quizapp scores`, `quizapp export gradebook|answers` and `quizapp merge`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.store import Store
from tests.support.lessons import REPO
from tests.support.store import make_lesson

NAMES = ["Zoë Ñúñez", "O'Brien [bold]x[/bold]", '=HYPERLINK("http://evil")', "李小龍"]


def record(db: Path, name: str, lesson: str, scores: list[float], finish: bool = True) -> None:
    with Store.open(db) as store:
        student = store.student(name)
        ids = [f"q{i}" for i in range(len(scores))]
        attempt = store.start_attempt(student.id, lesson, "lh", 1, ids)
        for qid, score in zip(ids, scores, strict=True):
            store.record_answer(attempt.id, qid, "qh", f"réponse {qid}", score, 2.5)
        if finish:
            store.finish_attempt(attempt.id)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "class.sqlite3"
    record(path, NAMES[0], "cicig", [1, 0])  # 50 %
    record(path, NAMES[0], "cicig", [1, 1])  # 100 %
    record(path, NAMES[1], "cicig", [1, 1, 1, 0])  # 75 %
    record(path, NAMES[2], "mano-dura", [0, 1])  # 50 %
    record(path, NAMES[3], "mano-dura", [1], finish=False)
    return path


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV must start with a UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(text[1:])))


# ---------------------------------------------------------------------- scores


def test_scores_prints_every_attempt_with_names_as_typed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scores", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    lines = out.split("\n\n")[0].splitlines()  # the table; the lesson scores follow
    assert lines[0].split() == [
        "student",
        "lesson",
        "started",
        "(UTC)",
        "status",
        "answered",
        "score",
        "percent",
    ]
    assert len(lines) == 2 + 5
    for name in NAMES:
        assert name in out
    assert "in progress" in lines[-1] and "1/1" in lines[-1]
    assert "100%" in lines[3] and "2/2" in lines[3]


def test_scores_filters_by_student_and_lesson(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_DB", str(db))
    assert main(["scores", "--student", NAMES[0]]) == 0
    lines = capsys.readouterr().out.split("\n\n")[0].splitlines()[2:]
    assert len(lines) == 2 and all(line.startswith(NAMES[0]) for line in lines)
    assert main(["scores", "--lesson", "mano-dura"]) == 0
    lines = capsys.readouterr().out.split("\n\n")[0].splitlines()[2:]
    assert len(lines) == 2 and all("mano-dura" in line for line in lines)
    # A lesson that exists (shipped) but has no attempts yet: an empty table, not an error.
    monkeypatch.setenv("QUIZAPP_LESSONS", str(REPO / "lessons"))
    assert main(["scores", "--lesson", "guatemala-cicig"]) == 0
    assert "No attempts recorded for lesson guatemala-cicig." in capsys.readouterr().out


def test_an_unknown_lesson_or_student_exits_2_with_the_near_one(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_DB", str(db))
    assert main(["scores", "--lesson", "mano-dur"]) == 2
    assert "no lesson 'mano-dur'; did you mean 'mano-dura'?" in capsys.readouterr().err
    assert main(["export", "answers", "--lesson", "cicg"]) == 2
    assert "quizapp export: no lesson 'cicg'; did you mean 'cicig'?" in capsys.readouterr().err
    assert main(["scores", "--student", "Zoë Nuñez"]) == 2
    assert f"did you mean {NAMES[0]!r}?" in capsys.readouterr().err


def test_db_given_before_the_command_works_too(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "scores", "--student", NAMES[3]]) == 0
    assert NAMES[3] in capsys.readouterr().out


def test_scores_errors_are_one_clear_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scores", "--db", str(db), "--student", "Nobody"]) == 2
    err = capsys.readouterr().err
    assert "no student 'Nobody'" in err and NAMES[0] in err
    missing = tmp_path / "nowhere" / "scores.sqlite3"
    assert main(["scores", "--db", str(missing)]) == 2
    assert "no score database" in capsys.readouterr().err
    assert not missing.parent.exists()  # reading never creates a database
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database, just text" * 20)
    assert main(["scores", "--db", str(junk)]) == 1
    err = capsys.readouterr().err
    assert "not a SQLite database" in err and "Traceback" not in err
    assert junk.read_bytes() == b"not a database, just text" * 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class.sqlite3", "junk.sqlite3"]


# ---------------------------------------------------------------------- export


def write_lessons(folder: Path) -> Path:
    folder.mkdir()
    for lesson_id, mark in (("cicig", 80), ("mano-dura", 50)):
        lesson = make_lesson(lesson_id, pass_mark=mark)
        data = lesson.model_dump(mode="json", exclude_none=True)
        (folder / f"{lesson_id}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
    return folder


def test_gradebook_csv_has_a_row_per_student_and_lesson(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons = write_lessons(tmp_path / "lessons")
    assert main(["export", "gradebook", "--db", str(db), "--lessons", str(lessons)]) == 0
    rows = read_csv(capsys.readouterr().out)
    got = [
        (r["student"], r["lesson"], r["attempts"], r["best"], r["last"], r["passed"]) for r in rows
    ]
    assert got == [
        ("'" + NAMES[2], "mano-dura", "1", "50.0", "50.0", "yes"),  # formula defused
        (NAMES[1], "cicig", "1", "75.0", "75.0", "no"),
        (NAMES[0], "cicig", "2", "100.0", "100.0", "yes"),
        (NAMES[3], "mano-dura", "0", "", "", ""),
    ]
    assert rows[2]["pass_mark"] == "80" and rows[2]["title"] == "Lesson cicig"
    assert rows[3]["in_progress"] == "1"
    assert all(len(r["last_activity_utc"]) == len("2026-11-28 10:15:00") for r in rows)


def test_gradebook_rule_changes_the_score_and_pass(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons = write_lessons(tmp_path / "lessons")
    args = ["export", "gradebook", "--db", str(db), "--lessons", str(lessons)]
    assert main([*args, "--rule", "first"]) == 0
    zoe = next(r for r in read_csv(capsys.readouterr().out) if r["student"] == NAMES[0])
    assert (zoe["rule"], zoe["score"], zoe["passed"]) == ("first", "50.0", "no")
    assert main([*args, "--rule", "average"]) == 0
    zoe = next(r for r in read_csv(capsys.readouterr().out) if r["student"] == NAMES[0])
    assert (zoe["score"], zoe["passed"]) == ("75.0", "no")


def test_gradebook_without_lessons_leaves_passed_blank(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_LESSONS", str(tmp_path / "no-lessons-here"))
    assert main(["export", "gradebook", "--db", str(db)]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert len(rows) == 4 and {r["passed"] for r in rows} == {""}
    assert main(["export", "gradebook", "--db", str(db), "--lessons", "/no/such/dir"]) == 2
    assert "lessons folder: no such file or folder: /no/such/dir" in capsys.readouterr().err


def test_export_to_a_file_keeps_accents_for_spreadsheets(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "answers.csv"
    assert main(["export", "answers", "--db", str(db), "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(raw.decode("utf-8"))
    assert len(rows) == 2 + 2 + 4 + 2 + 1  # one row per answer
    assert {r["student"] for r in rows} == {NAMES[0], NAMES[1], "'" + NAMES[2], NAMES[3]}
    first = rows[0]
    assert first["response"] == "réponse q0" and first["score"] == "1.0"
    assert first["seconds"] == "2.5" and len(first["attempt"]) == 32
    assert main(["export", "answers", "--db", str(db), "--lesson", "mano-dura"]) == 0
    assert len(read_csv(capsys.readouterr().out)) == 3


def test_export_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "answers", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no score database" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["export", "gradebook", "--rule", "median"])
    assert caught.value.code == 2


# ---------------------------------------------------------------------- merge


def test_merge_prints_what_was_added_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana, ben = tmp_path / "ana.sqlite3", tmp_path / "ben.sqlite3"
    record(ana, "Ana", "cicig", [1, 1])
    record(ben, "Benoît", "cicig", [0, 1])
    target = tmp_path / "teacher" / "class.sqlite3"
    assert main(["merge", "--db", str(target), str(ana), str(ben)]) == 0
    out = capsys.readouterr().out
    assert f"{ana}: 1 new student, 1 new attempt, 2 new answers" in out
    assert f"{ben}: 1 new student" in out and "Merged 2 of 2 files" in out
    assert main(["merge", "--db", str(target), str(ana), str(ben)]) == 0
    out = capsys.readouterr().out
    assert out.count("nothing new") == 2
    assert main(["scores", "--db", str(target)]) == 0
    table, bests = capsys.readouterr().out.split("\n\n")
    assert "Ana" in table and "Benoît" in table and len(table.splitlines()) == 4
    assert "Ana     cicig  best 100%" in bests and "Benoît  cicig  best 50%" in bests


def test_merge_reports_bad_files_and_merges_the_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, junk = tmp_path / "good.sqlite3", tmp_path / "junk.sqlite3"
    record(good, "Ana", "cicig", [1])
    junk.write_bytes(b"garbage" * 50)
    target = tmp_path / "class.sqlite3"
    code = main(["merge", "--db", str(target), str(junk), str(good)])
    assert code == 1
    captured = capsys.readouterr()
    assert "not a SQLite database" in captured.err
    assert "Traceback" not in captured.err
    assert f"{good}: 1 new student" in captured.out and "Merged 1 of 2 files" in captured.out
    assert junk.read_bytes() == b"garbage" * 50


def test_export_refuses_an_out_file_in_a_missing_folder(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "typo" / "answers.csv"
    for args in (["answers", "--db", str(db)], ["gradebook", "--db", str(db)], ["gift"]):
        assert main(["export", *args, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"cannot write {out}: no such file or folder: {out.parent}" in err
    assert not out.parent.exists()
    assert main(["export", "answers", "--db", str(db), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_answers_export_has_full_precision_scores_and_the_attempt_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.sqlite3"
    with Store.open(path) as store:
        ana = store.student("Ana")
        first = store.start_attempt(ana.id, "cicig", "lh", 1, ["q0", "q1"])
        store.record_answer(first.id, "q0", "qh", "x", 1 / 3, 2.5)
        store.record_answer(first.id, "q1", "qh", "y", 0.0, 2.5)
        store.finish_attempt(first.id)
        retry = store.start_attempt(ana.id, "cicig", "lh", 2, ["q1"], mode="retry")
        store.record_answer(retry.id, "q1", "qh", "z", 1.0, 2.5)
        store.finish_attempt(retry.id)
    assert main(["export", "answers", "--db", str(path)]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert [(r["question"], r["score"], r["attempt_mode"]) for r in rows] == [
        ("q0", repr(1 / 3), "normal"),
        ("q1", "0.0", "normal"),
        ("q1", "1.0", "retry-missed"),
    ]
    assert main(["export", "gradebook", "--db", str(path)]) == 0
    (row,) = read_csv(capsys.readouterr().out)
    assert float(row["score"]) == pytest.approx(100 / 6) and len(row["score"]) > 10


def test_merge_names_a_missing_file_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "class.sqlite3"
    assert main(["merge", "--db", str(target), str(tmp_path / "ana.sqlite3")]) == 2
    assert f"no such file or folder: {tmp_path / 'ana.sqlite3'}" in capsys.readouterr().err
    assert not target.exists()


def test_export_answers_to_stdout_and_to_a_file_are_the_same_bytes(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    # The export streams (a class holds a million answers): both ways write one BOM, the
    # header and every row, byte for byte alike.
    out = tmp_path / "answers.csv"
    assert main(["export", "answers", "--db", str(db), "--out", str(out)]) == 0
    capsysbinary.readouterr()
    assert main(["export", "answers", "--db", str(db)]) == 0
    streamed = capsysbinary.readouterr().out
    assert streamed == out.read_bytes()
    assert streamed.count("\ufeff".encode()) == 1
    assert streamed.count(b"\r\n") == 12  # the header and 11 answers


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-6))]),
    )
)  # fmt: skip
@settings(max_examples=200, deadline=None)
def test_export_times_read_as_before(moment: dt.datetime) -> None:
    # The fast formatting of a time in the export gives what strftime gave.
    from quizapp.cli.scores import _utc

    assert _utc(moment) == moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _stored(y: int, mo: int, d: int, h: int, mi: int, s: int, us: int, sep: str, tail: str) -> str:
    return f"{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}.{us:06d}{tail}"


@given(
    text=st.builds(
        _stored, st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32),
        st.integers(0, 25), st.integers(0, 61), st.integers(0, 61), st.integers(0, 999_999),
        st.sampled_from(["T", " ", "t"]), st.sampled_from(["Z", "z", "", "+00:00", "+02:00"]),
    ) | st.text(max_size=30)
)  # fmt: skip
@example(text="2026-09-01T08:00:00.000000Z")  # as the store writes it: sliced
@example(text="2024-02-29T23:59:59.999999Z")  # a leap day: read (February's 29th)
@example(text="2026-02-29T10:00:00.000000Z")  # no such day: damaged
@example(text="2026-02-30T10:00:00.000000Z")
@example(text="2026-04-31T10:00:00.000000Z")
@example(text="2026-12-31T24:00:00.000000Z")
@example(text="0999-01-01T10:00:00.000000Z")  # strftime's year without leading zeros
@example(text="2026-01-01T10:00:00.000000+02:00")
@example(text="2026-01-01T10:00:00")
@example(text="")  # a row that held no text
@settings(max_examples=300, deadline=None)
def test_an_answered_time_is_exported_as_it_reads(text: str) -> None:
    # The export slices a time stored as the store writes it; any other text is read as
    # every view reads a stored time (damaged when it is not one): the same cell either way.
    from quizapp.cli.exports import _answer_cells
    from quizapp.cli.scores import _utc
    from quizapp.store import UNREADABLE_TIME, AnswerRow

    row = AnswerRow(
        "Ana", "l", "u", UNREADABLE_TIME, "finished", "lh", "q", "qh", '"x"', 1.0, 2.0, text
    )
    [cells] = list(_answer_cells([row]))
    assert cells[12] == _utc(row.answered_time)
