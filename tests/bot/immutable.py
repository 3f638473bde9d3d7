"""Files and folders even root cannot write (chattr +i), for the read-only store tests; skipped where unsupported."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """`paths` made immutable for the block (file modes do not stop root; the immutable flag does)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made: list[Path] = []
    try:
        for path in paths:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
                pytest.skip(f"chattr +i is not supported here (or not allowed) for {path}")
            made.append(path)
        yield
    finally:
        for path in made:
            subprocess.run(["chattr", "-i", str(path)], check=True)
