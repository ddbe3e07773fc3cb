"""The benchmark instances: the example at N regions (generated once into bench/out)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def instance(size: int) -> Path:
    """The Hauts-de-France example replicated as ``size`` regions (1: the example itself)."""
    if size == 1:
        return ROOT / "inputs" / "hauts_de_france_2030.xlsx"
    path = OUT / f"hauts_de_france_x{size}.xlsx"
    example = max(f.stat().st_mtime for f in (ROOT / "planner" / "example").glob("*.py"))
    if not path.exists() or path.stat().st_mtime < example:  # made by an older example
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "planner", "example", str(path), "--force", "--scale",
                        str(size)], check=True, stdout=subprocess.DEVNULL)
    return path
