"""What tests and benchmarks share: generated corpora (corpus) and the kill-and-check trials (crash)."""
