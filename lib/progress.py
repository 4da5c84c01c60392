"""Progress of the long commands (reindex, import_texts, import_docx, backup, restore, the benchmarks' preparation), drawn by tqdm.

- On a terminal: tqdm's live bar, redrawn in place on one line (count, rate, time left).
- Anywhere else (a log file, a pipe, cron's mail): one plain line per tenth of the work, and one at the
  end, each tqdm's meter as text (``导入:  40%|####      | 4/10 [00:02<00:03,  2.0it/s]``), never a
  carriage return.
- A stream that ends each write with a newline of its own (Django's ``OutputWrapper``, a command's
  ``self.stdout``/``self.stderr``: it has an ``ending``) is written to through ``ProgressStream``, without
  it: else every redraw of the live bar would land on a line of its own.
"""
import sys
import time

from tqdm import tqdm


class ProgressStream:
    """A command's OutputWrapper as a plain stream: writes the text as given, without the wrapper's ending."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def plain_stream(stream):
    """Return ``stream`` ready for progress output: an OutputWrapper (anything with an ``ending``) wrapped."""
    if isinstance(stream, ProgressStream) or getattr(stream, "ending", None) is None:
        return stream
    return ProgressStream(stream)


class ProgressBar:
    """``advance(n)`` as the work goes on, ``close()`` at the end (it returns the seconds elapsed)."""

    def __init__(self, total: int, label: str = "", stream=None, unit: str = "it", unit_scale: bool = False):
        self.stream = plain_stream(stream or sys.stderr)
        self.total = max(total, 0)
        self.started = time.monotonic()
        self._tty = bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        self._last_decile = 0  # a line at each tenth done, none at the start
        self._closed = False
        # Off a terminal tqdm draws nothing itself (file=None with disable… would also stop counting):
        # it counts and formats, and the lines are written here.
        self._bar = tqdm(total=self.total, desc=label, unit=unit, unit_scale=unit_scale,
                         file=self.stream if self._tty else _Silent(), ascii=not self._tty,
                         dynamic_ncols=self._tty, mininterval=0.1 if self._tty else 0, leave=True)

    @property
    def done(self) -> int:
        return self._bar.n

    def advance(self, n: int = 1) -> None:
        self._bar.update(n)
        if not self._tty:
            decile = (self.done * 10 // self.total) if self.total else 10
            if decile != self._last_decile:
                self._last_decile = decile
                self._line()

    def _line(self) -> None:
        self.stream.write(str(self._bar) + "\n")
        self.stream.flush()

    def close(self) -> float:
        """Finish the bar (its last line) and return the seconds elapsed."""
        if not self._closed:
            self._closed = True
            if not self._tty and self._last_decile != 10:
                self._line()  # the end, when the last tenth was never reached (or nothing was done)
            self._bar.close()
            if self._tty:
                self.stream.flush()
        return time.monotonic() - self.started


class _Silent:
    """Where tqdm draws off a terminal: nowhere (the lines are written by ProgressBar)."""

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
