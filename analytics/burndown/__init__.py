"""The burn-down: how many of the start list remain and why (progress), and its figures (charts)."""
