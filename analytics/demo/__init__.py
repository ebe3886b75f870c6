"""Deterministic demo data: P3KE-format snapshots (snapshots) and OPD intervention files
(interventions), built into the demo store through the normal import path (analytics.ingest.bootstrap)."""
