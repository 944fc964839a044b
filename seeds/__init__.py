"""The sample documents the product was conceived from, and their demo metadata (metadata.json)."""

from pathlib import Path

SEEDS_DIR = Path(__file__).parent
METADATA = SEEDS_DIR / "metadata.json"
