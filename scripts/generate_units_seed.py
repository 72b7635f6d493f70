"""Generate the seed CSVs of Gia Lai province's administrative units (org units).

Outputs (UTF-8, sorted, deterministic):

* ``dashboard/data/gia_lai_units.csv`` -- one row per administrative unit and validity
  period: ``gso_code,name,kind,level,parent_gso_code,valid_from,valid_to``. ``kind`` is one of
  tỉnh, thành phố, thị xã, huyện, xã, phường, thị trấn; ``level`` is province, district or
  commune. A unit whose GSO code, name or parent changed gets two rows (the old one ends the
  day before the change, the new one starts on the change date).
* ``dashboard/data/gia_lai_unit_changes.csv`` -- the predecessor -> successor links of the
  1 Nov 2024 reorganisation: ``date,kind,predecessor_gso_code,predecessor_name,
  successor_gso_code,successor_name,legal_basis``.

Data source: the General Statistics Office (GSO) list of administrative units, as packaged in
the PyPI package ``vietnam-provinces``:

* ``vietnam-provinces==0.4.0`` holds the state in force from 1 Feb 2020 until 31 Oct 2024
  (Gia Lai: 17 district-level units, 220 commune-level units);
* ``vietnam-provinces==0.6.0`` holds the state from 1 Nov 2024 (Resolution
  1195/NQ-UBTVQH15: 218 commune-level units).

Both versions are read through their packaged ``nested-divisions.json``
(``vietnam_provinces.NESTED_DIVISIONS_JSON_PATH``): the ward enum of 0.4.0 cannot be imported
on recent Python versions (its ``fast-enum`` dependency fails). The kind of a unit is derived
from its name prefix, because 0.6.0 reports every district as "huyện" and every commune-level
unit as "xã"; for 0.4.0 the derived kind is checked against the packaged division type.

The package data holds no merge links, so the links are kept in ``CHANGE_LINKS`` below and are
checked against the package data (the script fails loudly on any mismatch).

Usage, from the repository root::

    python scripts/generate_units_seed.py
    python scripts/generate_units_seed.py --v04-python /tmp/vp04/bin/python \\
        --v06-python /tmp/vp06/bin/python

Without ``--v04-python`` / ``--v06-python`` the script creates throw-away virtual
environments in a temporary directory and installs the package versions there with pip.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "vietnam-provinces"
OLD_VERSION = "0.4.0"
NEW_VERSION = "0.6.0"
PROVINCE_CODE = 64

OLD_STATE_FROM = "2020-02-01"
CHANGE_DATE = "2024-11-01"
OLD_STATE_TO = (dt.date.fromisoformat(CHANGE_DATE) - dt.timedelta(days=1)).isoformat()
LEGAL_BASIS = "Nghị quyết 1195/NQ-UBTVQH15"

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT_DIR = REPO_ROOT / "dashboard" / "data"
UNITS_FILE = "gia_lai_units.csv"
CHANGES_FILE = "gia_lai_unit_changes.csv"
UNITS_HEADER = ["gso_code", "name", "kind", "level", "parent_gso_code", "valid_from", "valid_to"]
CHANGES_HEADER = [
    "date",
    "kind",
    "predecessor_gso_code",
    "predecessor_name",
    "successor_gso_code",
    "successor_name",
    "legal_basis",
]

LEVELS = ("province", "district", "commune")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# Name prefix -> (kind, level). Longer prefixes first so that "Thị xã" / "Thị trấn" /
# "Thành phố" are matched before shorter ones.
KIND_PREFIXES = (
    ("Thành phố ", "thành phố", "district"),
    ("Thị trấn ", "thị trấn", "commune"),
    ("Thị xã ", "thị xã", "district"),
    ("Phường ", "phường", "commune"),
    ("Huyện ", "huyện", "district"),
    ("Tỉnh ", "tỉnh", "province"),
    ("Xã ", "xã", "commune"),
)

# Whether the package's own division_type field can be trusted (0.6.0 reports every district
# as "huyện" and every commune-level unit as "xã", whatever their name says).
DIVISION_TYPE_RELIABLE = {OLD_VERSION: True, NEW_VERSION: False}

EXPECTED_DISTRICT_CODES = frozenset([*range(622, 636), 637, 638, 639])
# Expected counts per version: district-level units, commune-level units and commune kinds.
EXPECTED_COUNTS = {
    OLD_VERSION: {"district": 17, "commune": 220, "xã": 182, "phường": 24, "thị trấn": 14},
    NEW_VERSION: {"district": 17, "commune": 218, "xã": 180, "phường": 24, "thị trấn": 14},
}


@dataclass(frozen=True)
class ChangeLink:
    """One predecessor -> successor link of Resolution 1195/NQ-UBTVQH15."""

    kind: str
    predecessor_code: str
    predecessor_name: str
    successor_code: str
    successor_name: str
    parent_code: str


# Resolution 1195/NQ-UBTVQH15 (effective 2024-11-01), Gia Lai part:
# - Xã Tân Sơn is merged into Xã Biển Hồ (Thành phố Pleiku);
# - Xã Kông Pla and part of Xã Đăk HLơ form the new Xã Kông Bơ La, which reuses the GSO code
#   of Xã Đăk HLơ; the rest of Xã Đăk HLơ goes to Xã Nghĩa An (Huyện KBang).
CHANGE_LINKS = (
    ChangeLink("merge", "23593", "Xã Tân Sơn", "23590", "Xã Biển Hồ", "622"),
    ChangeLink("merge", "23671", "Xã Kông Pla", "23674", "Xã Kông Bơ La", "625"),
    ChangeLink("split", "23674", "Xã Đăk HLơ", "23674", "Xã Kông Bơ La", "625"),
    ChangeLink("split", "23674", "Xã Đăk HLơ", "23662", "Xã Nghĩa An", "625"),
)

# Run by the interpreter that has one package version installed; prints the province with its
# districts and wards as JSON on stdout.
DUMP_SNIPPET = r"""
import json
import sys
from importlib.metadata import version

import vietnam_provinces

code = int(sys.argv[1])
with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
    provinces = [p for p in json.load(fh) if p["code"] == code]
if len(provinces) != 1:
    sys.exit("province %d found %d times" % (code, len(provinces)))
province = provinces[0]
units = [{"code": province["code"], "name": province["name"],
          "division_type": province["division_type"], "parent": None}]
for district in province["districts"]:
    units.append({"code": district["code"], "name": district["name"],
                  "division_type": district["division_type"], "parent": province["code"]})
    for ward in district["wards"]:
        units.append({"code": ward["code"], "name": ward["name"],
                      "division_type": ward["division_type"], "parent": district["code"]})
print(json.dumps({"version": version("vietnam-provinces"), "units": units}))
"""


class SeedError(RuntimeError):
    """Raised when the package data does not match what the seed expects."""


@dataclass(frozen=True)
class Unit:
    """One administrative unit as found in one package version."""

    code: str
    name: str
    kind: str
    level: str
    parent_code: str

    @property
    def sort_key(self) -> tuple[int, int]:
        return (LEVEL_RANK[self.level], int(self.code))


def classify(name: str) -> tuple[str, str]:
    """Return (kind, level) derived from the official name prefix."""
    for prefix, kind, level in KIND_PREFIXES:
        if name.startswith(prefix):
            return kind, level
    raise SeedError(f"cannot derive the kind of unit {name!r} from its name")


def venv_python(venv_dir: Path) -> Path:
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def create_venv(base_dir: Path, package_version: str) -> Path:
    """Create a venv with the given package version installed; return its interpreter."""
    venv_dir = base_dir / f"vp-{package_version}"
    print(f"Creating venv {venv_dir} with {PACKAGE}=={package_version} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv_dir)], check=True)
    python = venv_python(venv_dir)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{PACKAGE}=={package_version}",
        ],
        check=True,
    )
    return python


def dump_state(python: str, package_version: str) -> dict[str, Unit]:
    """Dump Gia Lai from the package installed for `python`; return units keyed by code."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    result = subprocess.run(
        [python, "-c", DUMP_SNIPPET, str(PROVINCE_CODE)],
        capture_output=True,
        env=env,
    )
    if result.returncode != 0:
        raise SeedError(
            f"dumping {PACKAGE} {package_version} with {python} failed:\n"
            + result.stderr.decode("utf-8", "replace")
        )
    payload = json.loads(result.stdout.decode("utf-8"))
    if payload["version"] != package_version:
        raise SeedError(f"{python} has {PACKAGE} {payload['version']}, expected {package_version}")
    units: dict[str, Unit] = {}
    type_mismatches = []
    for raw in payload["units"]:
        name = unicodedata.normalize("NFC", raw["name"].strip())
        kind, level = classify(name)
        if kind != raw["division_type"]:
            type_mismatches.append(f"{raw['code']} {name} ({raw['division_type']})")
        code = str(raw["code"])
        if code in units:
            raise SeedError(f"{package_version}: duplicate GSO code {code}")
        parent = "" if raw["parent"] is None else str(raw["parent"])
        units[code] = Unit(code, name, kind, level, parent)
    if type_mismatches:
        if DIVISION_TYPE_RELIABLE[package_version]:
            raise SeedError(
                f"{package_version}: division type differs from the name for "
                + ", ".join(type_mismatches)
            )
        print(
            f"Note: {PACKAGE} {package_version} gives a division type that differs from the "
            f"name for {len(type_mismatches)} units; the kind is taken from the name.",
            file=sys.stderr,
        )
    return units


def check_counts(units: dict[str, Unit], package_version: str) -> Counter:
    """Assert the expected number of units per level and commune kind."""
    counts: Counter = Counter(unit.level for unit in units.values())
    counts.update(unit.kind for unit in units.values() if unit.level == "commune")
    province = [unit for unit in units.values() if unit.level == "province"]
    if [(u.code, u.name) for u in province] != [(str(PROVINCE_CODE), "Tỉnh Gia Lai")]:
        raise SeedError(f"{package_version}: unexpected province rows {province}")
    district_codes = {int(u.code) for u in units.values() if u.level == "district"}
    if district_codes != EXPECTED_DISTRICT_CODES:
        raise SeedError(
            f"{package_version}: district codes {sorted(district_codes)} differ from "
            f"{sorted(EXPECTED_DISTRICT_CODES)}"
        )
    for key, expected in EXPECTED_COUNTS[package_version].items():
        if counts[key] != expected:
            raise SeedError(
                f"{package_version}: {counts[key]} units of {key!r}, expected {expected}"
            )
    return counts


def compare_states(
    old: dict[str, Unit], new: dict[str, Unit]
) -> tuple[list[Unit], list[Unit], list[Unit]]:
    """Return (unchanged, ended, started) units between the two states.

    A unit is unchanged when its GSO code, name, kind, level and parent are all the same.
    Otherwise the old unit (if any) ends and the new unit (if any) starts.
    """
    unchanged, ended, started = [], [], []
    for code in sorted(old.keys() | new.keys(), key=int):
        before, after = old.get(code), new.get(code)
        if before == after:
            unchanged.append(before)
            continue
        if before is not None:
            ended.append(before)
        if after is not None:
            started.append(after)
    return unchanged, ended, started


def describe_differences(old: dict[str, Unit], new: dict[str, Unit]) -> list[str]:
    lines = []
    for code in sorted(old.keys() | new.keys(), key=int):
        before, after = old.get(code), new.get(code)
        if before == after:
            continue
        if after is None:
            lines.append(f"removed  {code} {before.name} (parent {before.parent_code})")
        elif before is None:
            lines.append(f"added    {code} {after.name} (parent {after.parent_code})")
        else:
            lines.append(
                f"changed  {code} {before.name} (parent {before.parent_code}) -> "
                f"{after.name} (parent {after.parent_code})"
            )
    return lines


def check_links(ended: list[Unit], started: list[Unit], new: dict[str, Unit]) -> None:
    """Fail unless every link matches the package data and every change is linked."""
    ended_by_code = {unit.code: unit for unit in ended}
    for link in CHANGE_LINKS:
        predecessor = ended_by_code.get(link.predecessor_code)
        if predecessor is None or predecessor.name != link.predecessor_name:
            raise SeedError(
                f"link {link}: no ended unit {link.predecessor_code} {link.predecessor_name!r} "
                f"(found {predecessor})"
            )
        successor = new.get(link.successor_code)
        if successor is None or successor.name != link.successor_name:
            raise SeedError(
                f"link {link}: no unit {link.successor_code} {link.successor_name!r} in "
                f"{NEW_VERSION} (found {successor})"
            )
        for unit in (predecessor, successor):
            if unit.parent_code != link.parent_code:
                raise SeedError(f"link {link}: {unit} is not in district {link.parent_code}")
    linked_predecessors = {(link.predecessor_code, link.predecessor_name) for link in CHANGE_LINKS}
    unlinked = [unit for unit in ended if (unit.code, unit.name) not in linked_predecessors]
    successor_keys = {(link.successor_code, link.successor_name) for link in CHANGE_LINKS}
    unlinked += [unit for unit in started if (unit.code, unit.name) not in successor_keys]
    if unlinked:
        raise SeedError(
            "changes without a link in CHANGE_LINKS: "
            + ", ".join(f"{u.code} {u.name}" for u in unlinked)
        )


def build_unit_rows(
    unchanged: list[Unit], ended: list[Unit], started: list[Unit]
) -> list[list[str]]:
    periods = (
        [(unit, OLD_STATE_FROM, "") for unit in unchanged]
        + [(unit, OLD_STATE_FROM, OLD_STATE_TO) for unit in ended]
        + [(unit, CHANGE_DATE, "") for unit in started]
    )
    periods.sort(key=lambda item: (*item[0].sort_key, item[1]))
    return [
        [unit.code, unit.name, unit.kind, unit.level, unit.parent_code, valid_from, valid_to]
        for unit, valid_from, valid_to in periods
    ]


def build_change_rows() -> list[list[str]]:
    rows = [
        [
            CHANGE_DATE,
            link.kind,
            link.predecessor_code,
            link.predecessor_name,
            link.successor_code,
            link.successor_name,
            LEGAL_BASIS,
        ]
        for link in CHANGE_LINKS
    ]
    rows.sort(key=lambda row: (row[0], int(row[2]), int(row[4]), row[1]))
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"Wrote {len(rows)} rows to {path}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--v04-python", help=f"interpreter that has {PACKAGE}=={OLD_VERSION} installed"
    )
    parser.add_argument(
        "--v06-python", help=f"interpreter that has {PACKAGE}=={NEW_VERSION} installed"
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        help="directory for the CSV files (default: dashboard/data)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp_dir = None
    try:
        if not (args.v04_python and args.v06_python):
            tmp_dir = Path(tempfile.mkdtemp(prefix="gia-lai-units-"))
        old_python = args.v04_python or str(create_venv(tmp_dir, OLD_VERSION))
        new_python = args.v06_python or str(create_venv(tmp_dir, NEW_VERSION))
        old = dump_state(old_python, OLD_VERSION)
        new = dump_state(new_python, NEW_VERSION)
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)

    for package_version, units in ((OLD_VERSION, old), (NEW_VERSION, new)):
        counts = check_counts(units, package_version)
        summary = ", ".join(f"{key}={counts[key]}" for key in EXPECTED_COUNTS[package_version])
        print(f"{PACKAGE} {package_version}: {summary}")

    unchanged, ended, started = compare_states(old, new)
    print(f"Differences {OLD_VERSION} -> {NEW_VERSION} (effective {CHANGE_DATE}):")
    for line in describe_differences(old, new):
        print(f"  {line}")
    check_links(ended, started, new)

    write_csv(
        args.output_dir / UNITS_FILE, UNITS_HEADER, build_unit_rows(unchanged, ended, started)
    )
    write_csv(args.output_dir / CHANGES_FILE, CHANGES_HEADER, build_change_rows())
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (SeedError, subprocess.CalledProcessError) as exc:
        sys.exit(f"error: {exc}")
