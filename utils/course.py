"""Where the course lives: its root folder, its build folder, and its notebooks in lecture order (the deck last)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
NOTEBOOKS = sorted(ROOT.glob("notebooks/*.ipynb")) + sorted(ROOT.glob("lectures/*.ipynb"))
