"""A small progress bar for long-running management commands (no extra dependency)."""
import sys
import time


class ProgressBar:
    """Draws ``label [#####.....] 12/40`` on a terminal, one line per 10% elsewhere."""

    def __init__(self, total: int, label: str = "", stream=None, width: int = 30):
        self.total, self.label, self.width = max(total, 0), label, width
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._tty:
            self._draw("\r")
        else:
            decile = (self.done * 10 // self.total) if self.total else 10
            if decile != self._last_decile:
                self._last_decile = decile
                self._draw("")
                self.stream.write("\n")
        self.stream.flush()

    def _draw(self, prefix: str) -> None:
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"{prefix}{self.label} [{bar}] {self.done}/{self.total}")

    def close(self) -> float:
        """Finish the bar's line and return the seconds elapsed."""
        if self._tty:
            self.stream.write("\n")
            self.stream.flush()
        return time.monotonic() - self.started


class ProgressStream:
    """Lets ProgressBar draw on a command's OutputWrapper.

    OutputWrapper.write() ends every message with a newline, which would put each redraw
    of a terminal progress bar on a line of its own; this writes the text as given.
    """

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()
