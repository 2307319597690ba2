"""Engagement Radar: the Python side of the warehouse (demo data, ML functions, app data access)."""

__version__ = "0.1.0"
