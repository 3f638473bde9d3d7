"""Fictional sample articles written for newsbrief (loaded by `newsbrief ingest --demo`)."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent
