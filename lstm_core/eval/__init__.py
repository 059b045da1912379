"""Errors in the series' own units, and the yardsticks scored on the same points."""
