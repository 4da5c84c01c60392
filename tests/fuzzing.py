"""How many examples the fuzz tests (hypothesis) try: all of them, or a fifth on CI.

Hypothesis loads its ``ci`` profile by itself when it sees a CI environment variable (``CI=true``),
and that profile is derandomised: every CI run tries the same examples, so a fifth of them keeps
``make test`` inside its time budget while still sending hundreds of real hostile inputs.  Locally,
or with ``--hypothesis-profile=default``, each fuzz test tries its full count, drawn anew each run.
"""
from hypothesis import settings

CI_SHARE = 5  # on CI, one example in this many
CI_MINIMUM = 20


def examples(full: int) -> int:
    """Return the ``max_examples`` of a fuzz test whose full run tries ``full`` examples."""
    if settings.get_current_profile_name() == "ci":
        return max(CI_MINIMUM, full // CI_SHARE)
    return full
