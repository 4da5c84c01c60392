"""Development: DEBUG on unless the environment says otherwise."""
from .base import *  # noqa: F401,F403
