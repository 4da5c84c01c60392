"""Production: DEBUG off unless the environment says otherwise; everything from the environment."""
from .base import *  # noqa: F401,F403
