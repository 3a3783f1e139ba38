"""Build the pages' front-end assets from the published npm packages.

``npm ci`` installs exactly what package-lock.json names; Sass compiles
GOV.UK Frontend with czrm's settings; the scripts and Leaflet's files are
copied. The output, src/czrm/static/dist, is never committed: ``make install``
(and so ``make demo`` and ``make test``) runs this, and it does nothing when
the output is newer than its inputs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
STATIC = ROOT / "src" / "czrm" / "static"
DIST = STATIC / "dist"
STAMP = DIST / ".built"
INPUTS = [ROOT / "package-lock.json", STATIC / "src" / "czrm.scss", Path(__file__)]
COPIES = {
    "govuk-frontend/dist/govuk/all.bundle.js": "govuk-frontend.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "govuk-frontend/dist/govuk/assets/images": "govuk/assets/images",
}


def _newest_input() -> float:
    return max(p.stat().st_mtime for p in INPUTS if p.exists())


def build(force: bool = False) -> None:
    if not force and STAMP.exists() and STAMP.stat().st_mtime >= _newest_input():
        return
    lock_stamp = MODULES / ".package-lock.json"
    if (
        not lock_stamp.exists()
        or lock_stamp.stat().st_mtime < (ROOT / "package-lock.json").stat().st_mtime
    ):
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT, check=True
        )
    if DIST.exists():
        shutil.rmtree(DIST)
    DIST.mkdir(parents=True)
    subprocess.run(
        [
            str(MODULES / ".bin" / "sass"),
            "--no-source-map",
            "--style=compressed",
            "--quiet-deps",
            "--silence-deprecation=import",
            "--silence-deprecation=global-builtin",
            f"--load-path={MODULES}",
            str(STATIC / "src" / "czrm.scss"),
            str(DIST / "czrm.css"),
        ],
        cwd=ROOT,
        check=True,
    )
    for source, target in COPIES.items():
        origin, destination = MODULES / source, DIST / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, destination)
        else:
            shutil.copy2(origin, destination)
    STAMP.touch()
    print(f"built assets in {DIST.relative_to(ROOT)}")


if __name__ == "__main__":
    build(force="--force" in sys.argv)
