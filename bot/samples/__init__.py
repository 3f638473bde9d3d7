"""Fictional sample articles written for newsbrief (loaded by `newsbrief ingest --demo`)."""
