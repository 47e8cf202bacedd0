"""Peak memory of opening a 1 GiB RampModel file and reading one group: `python -m benchmarks.ramp_memory`.

Writes a 1 x 64 x 2048 x 2048 float32 ramp (1 GiB of SCI data) to a temporary folder, then, in fresh
processes, measures the peak resident memory (ru_maxrss) of (a) importing jwstmodels and opening the file, and
(b) the same plus reading one group; (b) - (a) is what the group read cost.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import resource, sys
import jwstmodels
with jwstmodels.open(sys.argv[1]) as model:
    assert isinstance(model, jwstmodels.RampModel)
    shape = model.shape
    if sys.argv[2] == "group":
        total = float(model.data[0, 5].sum())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(path: Path, mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode], check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip())


WRITER = """
import sys
import numpy as np
import jwstmodels
ramp = jwstmodels.RampModel((1, 64, 2048, 2048))
ramp.data[:] = np.float32(1.0)
ramp.save(sys.argv[1])
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ramp_1gib.fits"
        # Written by a child: Linux keeps the peak RSS of a process across fork and exec, so a parent that
        # held the 1 GiB array would hand that peak to every measuring child.
        subprocess.run([sys.executable, "-c", WRITER, str(path)], check=True)
        size = path.stat().st_size / 2**20
        opened = min(peak_kib(path, "open") for _ in range(3)) / 1024
        group = min(peak_kib(path, "group") for _ in range(3)) / 1024
    print(
        f"file: {size:.0f} MiB; peak RSS after open: {opened:.0f} MiB; "
        f"after reading one group: {group:.0f} MiB"
    )
    print(f"reading one 16 MiB group added {group - opened:.0f} MiB")


if __name__ == "__main__":
    main()
