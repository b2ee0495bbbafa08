"""Shared test settings: hypothesis runs the same examples on every machine (no flaky CI)."""
from hypothesis import settings

settings.register_profile("course", derandomize=True, database=None, deadline=None)
settings.load_profile("course")
