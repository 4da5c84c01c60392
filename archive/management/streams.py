"""Output plumbing shared by the archive's management commands."""


class ProgressStream:
    """Lets portal.progress.ProgressBar draw on a command's OutputWrapper.

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
