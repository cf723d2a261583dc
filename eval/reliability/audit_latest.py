"""What can be said of the pins' known vulnerabilities where pip-audit cannot ask.

    python -m eval.reliability.audit_latest [requirements.lock] [--out FILE]

``make audit`` (pip-audit) needs PyPI's per-version JSON API or osv.dev. Where only PyPI's
per-project JSON answers (``https://pypi.org/pypi/NAME/json``), it still tells two things: each
project's newest release, and the known vulnerabilities of that release (PyPI's
``vulnerabilities`` field, from the same OSV data pip-audit uses). So for a pin that *is* the
newest release the answer is exact; for an older pin it is not known, since what was fixed
between it and the newest is not listed. This script reports both groups and fails when a pin
that is the newest release has a known vulnerability, or when a project cannot be looked up.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from eval.report import print_report

PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


@dataclass
class PinCheck:
    name: str
    pinned: str
    newest: str
    vulnerabilities: list[str]  # of the newest release

    @property
    def is_newest(self) -> bool:
        return self.pinned.split("+")[0] == self.newest  # "2.13.0+cpu" is torch 2.13.0


@dataclass
class AuditReport:
    pins: int
    newest: int
    vulnerable: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def read_pins(lock: Path) -> list[tuple[str, str]]:
    lines = (line.split("#")[0].strip() for line in lock.read_text().splitlines())
    return [tuple(line.split("==", 1)) for line in lines if "==" in line]  # type: ignore[misc]


def check(name: str, pinned: str) -> PinCheck:
    with urllib.request.urlopen(PROJECT_JSON.format(name=name), timeout=30) as response:
        project = json.load(response)
    found = [v["id"] for v in project.get("vulnerabilities", [])]
    return PinCheck(name, pinned, project["info"]["version"], found)


def audit(lock: Path) -> AuditReport:
    pins = read_pins(lock)
    report = AuditReport(pins=len(pins), newest=0)

    def safe_check(pin: tuple[str, str]) -> PinCheck | str:
        try:
            return check(*pin)
        except (OSError, ValueError, KeyError) as exc:
            return f"{pin[0]}=={pin[1]}: {exc}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        for result in pool.map(safe_check, pins):
            if isinstance(result, str):
                report.failed.append(result)
            elif not result.is_newest:
                report.not_checked.append(
                    f"{result.name}=={result.pinned} (newest {result.newest})"
                )
            else:
                report.newest += 1
                if result.vulnerabilities:
                    ids = ", ".join(result.vulnerabilities)
                    report.vulnerable.append(f"{result.name}=={result.pinned}: {ids}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.reliability.audit_latest", description=__doc__.split("\n")[0]
    )
    parser.add_argument("lock", nargs="?", type=Path, default=Path("requirements.lock"))
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args(argv)
    report = audit(args.lock)
    print_report(report, args.out)
    return 1 if report.vulnerable or report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
