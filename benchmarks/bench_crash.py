"""More crash trials than CI runs: an import of N files killed with SIGKILL T times at random moments.

python benchmarks/bench_crash.py [--files 500] [--trials 50]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qirtas.archive.archive import Archive

from tests.support.corpus import write_files
from tests.support.crash import QIRTAS, REPO, consistent_count, kill_trials


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--trials", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder, archive = Path(temp) / "in", Path(temp) / "A"
        write_files(folder, args.files)
        Archive.open(archive).close()
        start = time.perf_counter()
        counts = kill_trials(archive, folder, args.trials)
        repair = subprocess.run([*QIRTAS, "--archive", str(archive), "verify", "--repair", "--json"],
                                capture_output=True, text=True, cwd=REPO)  # fmt: skip
        subprocess.run([*QIRTAS, "--archive", str(archive), "import", str(folder)], cwd=REPO, check=False,
                       capture_output=True)  # fmt: skip
        final = consistent_count(archive)
        problems = json.loads(repair.stdout)["problems"]
    print(f"{'trials (each checked after the kill)':<44}{args.trials:>8}")
    print(f"{'kills that landed mid-import':<44}{sum(c < args.files for c in counts):>8}")
    print(f"{'counts never went down':<44}{counts == sorted(counts)!s:>8}")
    print(f"{'problems left after verify --repair':<44}{len(problems):>8}")
    print(f"{'documents after a final run (expected ' + str(args.files) + ')':<44}{final:>8}")
    print(f"{'seconds':<44}{time.perf_counter() - start:>8.0f}")


if __name__ == "__main__":
    main()
