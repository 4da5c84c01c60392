"""The long commands' progress (lib/progress.py, tqdm): plain lines off a terminal, a live bar on one."""
import io

from django.core.management import call_command
from django.core.management.base import OutputWrapper

from lib.progress import ProgressBar


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


def test_off_a_terminal_each_tenth_of_the_work_is_one_plain_line():
    log = io.StringIO()
    bar = ProgressBar(20, "导入", stream=log)
    for _ in range(20):
        bar.advance()
    seconds = bar.close()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and log.getvalue().endswith("\n")
    assert [line.split("|")[-1].split()[0] for line in lines] == [f"{n}/20" for n in range(2, 21, 2)]
    assert all(line.startswith("导入:") for line in lines) and "100%" in lines[-1]
    assert "it/s" in lines[-1] and seconds >= 0  # tqdm's rate


def test_a_bar_that_never_reached_the_end_still_writes_its_last_line():
    log = io.StringIO()
    bar = ProgressBar(100, "校验备份", stream=log, unit="B", unit_scale=True)
    bar.advance(5)
    bar.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == 1 and "5%" in lines[0] and "5.00/100" in lines[0] and "B/s" in lines[0]


def test_on_a_terminal_the_bar_is_redrawn_in_place():
    screen = Terminal()
    bar = ProgressBar(50, "索引页面", stream=screen)
    bar._bar.mininterval = 0  # draw every update, as a slow command would
    for _ in range(50):
        bar.advance()
    bar.close()
    text = screen.getvalue()
    assert text.count("\r") >= 10 and text.count("\n") <= 1
    assert "50/50" in text.split("\r")[-1]


def test_a_commands_output_wrapper_gets_no_newline_per_redraw():
    """The bug import_texts had: OutputWrapper ends every write with a newline."""
    screen = Terminal()
    bar = ProgressBar(30, "导入", stream=OutputWrapper(screen))
    bar._bar.mininterval = 0
    for _ in range(30):
        bar.advance()
    bar.close()
    assert screen.getvalue().count("\n") <= 1 and screen.getvalue().count("\r") >= 10
    log = io.StringIO()
    bar = ProgressBar(2, "导入", stream=OutputWrapper(log))
    bar.advance(2)
    bar.close()
    assert "\n\n" not in log.getvalue() and len(log.getvalue().splitlines()) == 1


def test_import_texts_logs_its_progress_as_lines(tmp_path, site_tree, departments):
    for n in range(3):
        (tmp_path / f"规定{n}.md").write_text(f"# 规定{n}\n\n第一条 内容{n}。\n", encoding="utf-8")
    err = io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=io.StringIO(), stderr=err)
    lines = [line for line in err.getvalue().splitlines() if line.startswith("导入:")]
    assert len(lines) == 3 and "3/3" in lines[-1] and "\r" not in err.getvalue()
