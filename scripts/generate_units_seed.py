"""Generate the seed CSVs of Gia Lai province's administrative units (org units).

Outputs (UTF-8, sorted, deterministic):

* ``dashboard/data/gia_lai_units.csv`` -- one row per administrative unit and validity
  period: ``gso_code,name,kind,level,parent_gso_code,valid_from,valid_to``. ``kind`` is one of
  tỉnh, thành phố, thị xã, huyện, xã, phường, thị trấn; ``level`` is province, district or
  commune. A unit whose GSO code, name or parent changed gets two rows (the old one ends the
  day before the change, the new one starts on the change date). A GSO code can be reused by a
  later unit: each row is identified by its code and its ``valid_from``. Rows are sorted by
  level (parents before children), GSO code and ``valid_from``.
* ``dashboard/data/gia_lai_unit_changes.csv`` -- the predecessor -> successor links:
  ``date,kind,predecessor_gso_code,predecessor_name,successor_gso_code,successor_name,
  legal_basis,heir``. ``kind`` is merge (several units go into one), split (a unit is divided
  between several) or rename (exactly one unit becomes exactly one unit, whatever its name).
  ``heir`` is 1 when the successor inherits the predecessor's records from that date: every
  merge and rename link, and exactly one link per divided predecessor.

Three states are covered:

1. 1 Feb 2020 -- 31 Oct 2024: old province 64, 17 district-level units, 220 commune-level
   units.
2. 1 Nov 2024 -- 30 Jun 2025: Resolution 1195/NQ-UBTVQH15 (Xã Tân Sơn merged into Xã Biển Hồ,
   Xã Đăk HLơ divided between Xã Kông Bơ La and Xã Nghĩa An): 218 commune-level units.
3. From 1 Jul 2025: two-tier structure. The district level is abolished; Gia Lai and Bình Định
   are merged into the new province Gia Lai (GSO code 52, Resolution 202/2025/QH15) and the
   commune-level units are rearranged by Resolution 1664/NQ-UBTVQH15: 135 units (110 xã,
   25 phường) directly under the province. Every old commune-level unit of Gia Lai is linked
   to its new unit; districts are abolished, not merged, and get no link. The new units that
   come only from the former Bình Định area have no predecessor in these files.

Data sources (PyPI packages, each installed in a throw-away virtual environment):

* ``vietnam-provinces`` (code under GPL-3.0-or-later; its data is the list of administrative
  units of the General Statistics Office, GSO), read through its packaged
  ``nested-divisions.json`` (``vietnam_provinces.NESTED_DIVISIONS_JSON_PATH``) only:

  - ``0.4.0`` holds state 1 (the ward enum of 0.4.0 cannot be imported on recent Python
    versions: its ``fast-enum`` dependency fails, hence the JSON file);
  - ``0.6.0`` holds state 2;
  - ``2025.10.1`` holds state 3 (34 provinces, each with its ``wards``).

* ``vietnamadminunits==1.0.4`` (MIT licence, copyright 2025 Tran Ngoc Minh Hieu): only its
  data files are read (the package is installed without its dependencies and never
  imported). ``vietnamadminunits/data/converter_2025.json`` gives the links:
  ``DICT_PROVINCE`` maps the new province key to the old ones,
  ``DICT_PROVINCE_WARD_NO_DIVIDED[new province][new ward]`` lists the old units that went
  wholly into a new one and ``DICT_PROVINCE_WARD_DIVIDED[new province][old ward]`` the new
  units between which an old one was divided (``isDefaultNewWard`` marks the heir). Keys are
  names with the type prefix, lower-cased, without diacritics or spaces
  (``tinhgialai_thanhphopleiku_xabienho``); old keys are ``province_district_ward``. Its list
  of the new units (``vietnamadminunits/data/dataset.db``, table ``admin_units``) is only used
  to cross-check the GSO codes: differences are printed as warnings and the codes of
  vietnam-provinces are kept (in Gia Lai's old area, 2025.10.1 gives Xã Ia Mơ the former code
  of Xã Ia Mơ Nông, 23737, where the converter's list keeps its own former code, 23938).

The kind of a unit is derived from its name prefix, because 0.6.0 reports every district as
"huyện" and every commune-level unit as "xã"; for 0.4.0 and 2025.10.1 the derived kind is
checked against the packaged division type.

The package data of 0.4.0 / 0.6.0 holds no merge links, so the 2024 links are kept in
``CHANGE_LINKS`` below and are checked against the package data. The 2025 links come from the
converter table; every key of it is resolved to exactly one unit (new keys by the normalised
name of a unit of 2025.10.1, old keys by the normalised names of the district and the commune
of 0.6.0), with the few spelling differences of the converter listed in ``OLD_KEY_ALIASES``.
The script fails loudly (``SeedError``) on any mismatch.

Usage, from the repository root::

    python scripts/generate_units_seed.py
    python scripts/generate_units_seed.py --v04-python VENV_0_4/bin/python \\
        --v06-python VENV_0_6/bin/python --v25-python VENV_2025/bin/python

Without ``--v04-python`` / ``--v06-python`` / ``--v25-python`` the script creates throw-away
virtual environments in a temporary directory and installs the package versions there with
pip (the ``--v25-python`` interpreter must have both ``vietnam-provinces==2025.10.1`` and
``vietnamadminunits==1.0.4``). Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "vietnam-provinces"
OLD_VERSION = "0.4.0"
NEW_VERSION = "0.6.0"
REFORM_VERSION = "2025.10.1"
CONVERTER_PACKAGE = "vietnamadminunits"
CONVERTER_VERSION = "1.0.4"
PROVINCE_CODE = 64
REFORM_PROVINCE_CODE = 52
PROVINCE_NAME = "Tỉnh Gia Lai"
# Number of provinces in the list of 2025.10.1 (the two-tier structure).
REFORM_PROVINCE_COUNT = 34


def day_before(iso_date: str) -> str:
    return (dt.date.fromisoformat(iso_date) - dt.timedelta(days=1)).isoformat()


OLD_STATE_FROM = "2020-02-01"
CHANGE_DATE = "2024-11-01"
OLD_STATE_TO = day_before(CHANGE_DATE)
LEGAL_BASIS = "Nghị quyết 1195/NQ-UBTVQH15"
REFORM_DATE = "2025-07-01"
PRE_REFORM_TO = day_before(REFORM_DATE)
# Commune-level units of Gia Lai (old Gia Lai and Bình Định areas) from 1 Jul 2025.
REFORM_LEGAL_BASIS = "Nghị quyết 1664/NQ-UBTVQH15"
# Merger of the provinces Gia Lai and Bình Định into the province Gia Lai.
PROVINCE_MERGER_LEGAL_BASIS = "Nghị quyết 202/2025/QH15"

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
    "heir",
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
DIVISION_TYPE_RELIABLE = {OLD_VERSION: True, NEW_VERSION: False, REFORM_VERSION: True}

EXPECTED_DISTRICT_CODES = frozenset([*range(622, 636), 637, 638, 639])
# Expected counts per version: district-level units, commune-level units and commune kinds.
EXPECTED_COUNTS = {
    OLD_VERSION: {"district": 17, "commune": 220, "xã": 182, "phường": 24, "thị trấn": 14},
    NEW_VERSION: {"district": 17, "commune": 218, "xã": 180, "phường": 24, "thị trấn": 14},
    REFORM_VERSION: {"district": 0, "commune": 135, "xã": 110, "phường": 25, "thị trấn": 0},
}

# Keys of the converter table (vietnamadminunits) for the new province and the old ones.
CONVERTER_PROVINCE_KEY = "tinhgialai"
CONVERTER_OLD_PROVINCE_KEYS = ("tinhbinhdinh", "tinhgialai")
CONVERTER_OWN_OLD_KEY = "tinhgialai"

# Old keys of the converter table that do not follow the GSO spelling of the commune's name:
# key -> (GSO code of the district, GSO name of the commune).
OLD_KEY_ALIASES = {
    # The converter spells "Ia Mrơn"; the GSO list has "Xã Ia Ma Rơn" (Huyện Ia Pa).
    "tinhgialai_huyeniapa_xaiamron": ("635", "Xã Ia Ma Rơn"),
    # The converter spells "Đăk Rong"; the GSO list has "Xã Đăk Roong" (Huyện KBang).
    "tinhgialai_huyenkbang_xadakrong": ("625", "Xã Đăk Roong"),
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
    heir: bool


# Resolution 1195/NQ-UBTVQH15 (effective 2024-11-01), Gia Lai part:
# - Xã Tân Sơn is merged into Xã Biển Hồ (Thành phố Pleiku);
# - Xã Kông Pla and part of Xã Đăk HLơ form the new Xã Kông Bơ La, which reuses the GSO code
#   of Xã Đăk HLơ (hence its heir); the rest of Xã Đăk HLơ goes to Xã Nghĩa An (Huyện KBang).
CHANGE_LINKS = (
    ChangeLink("merge", "23593", "Xã Tân Sơn", "23590", "Xã Biển Hồ", "622", True),
    ChangeLink("merge", "23671", "Xã Kông Pla", "23674", "Xã Kông Bơ La", "625", True),
    ChangeLink("split", "23674", "Xã Đăk HLơ", "23674", "Xã Kông Bơ La", "625", True),
    ChangeLink("split", "23674", "Xã Đăk HLơ", "23662", "Xã Nghĩa An", "625", False),
)

# Run by the interpreter that has vietnam-provinces 0.4.0 or 0.6.0 installed; prints the
# province with its districts and wards as JSON on stdout.
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

# Run by the interpreter that has vietnam-provinces 2025.10.1 and vietnamadminunits installed;
# prints the new province with its wards and the province's part of the converter table as
# JSON on stdout. vietnamadminunits is located, not imported (its dependencies are not needed).
REFORM_DUMP_SNIPPET = r"""
import importlib.util
import json
import sqlite3
import sys
from importlib.metadata import version
from pathlib import Path

import vietnam_provinces

code, new_key, own_old_key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
    all_provinces = json.load(fh)
provinces = [p for p in all_provinces if p["code"] == code]
if len(provinces) != 1:
    sys.exit("province %d found %d times" % (code, len(provinces)))
province = provinces[0]
units = [{"code": province["code"], "name": province["name"],
          "division_type": province["division_type"], "parent": None}]
for ward in province["wards"]:
    units.append({"code": ward["code"], "name": ward["name"],
                  "division_type": ward["division_type"], "parent": province["code"]})

spec = importlib.util.find_spec("vietnamadminunits")
if spec is None or not spec.submodule_search_locations:
    sys.exit("vietnamadminunits is not installed")
path = Path(list(spec.submodule_search_locations)[0]) / "data" / "converter_2025.json"
with path.open(encoding="utf-8") as fh:
    converter = json.load(fh)
no_divided = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]
divided = converter["DICT_PROVINCE_WARD_DIVIDED"]
# The converter package's own list of the new units, to cross-check the GSO codes.
dataset = sqlite3.connect(path.with_name("dataset.db"))
try:
    converter_units = dataset.execute(
        "SELECT ward, wardCode FROM admin_units WHERE provinceCode = ?", (str(code),)
    ).fetchall()
finally:
    dataset.close()
prefix = own_old_key + "_"
stray = sorted(
    [old for key, wards in no_divided.items() if key != new_key
     for olds in wards.values() for old in olds if old.startswith(prefix)]
    + [old for key, wards in divided.items() if key != new_key
       for old in wards if old.startswith(prefix)]
)
print(json.dumps({
    "version": version("vietnam-provinces"),
    "converter_version": version("vietnamadminunits"),
    "province_count": len(all_provinces),
    "units": units,
    "converter": {
        "province": converter["DICT_PROVINCE"].get(new_key),
        "no_divided": no_divided.get(new_key),
        "divided": divided.get(new_key, {}),
        "stray_old_keys": stray,
        "units": converter_units,
    },
}))
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


@dataclass(frozen=True)
class Link:
    """One row of the changes file."""

    date: str
    kind: str
    predecessor: Unit
    successor: Unit
    legal_basis: str
    heir: bool

    def row(self) -> list[str]:
        return [
            self.date,
            self.kind,
            self.predecessor.code,
            self.predecessor.name,
            self.successor.code,
            self.successor.name,
            self.legal_basis,
            "1" if self.heir else "0",
        ]


def classify(name: str) -> tuple[str, str]:
    """Return (kind, level) derived from the official name prefix."""
    for prefix, kind, level in KIND_PREFIXES:
        if name.startswith(prefix):
            return kind, level
    raise SeedError(f"cannot derive the kind of unit {name!r} from its name")


def name_key(text: str, keep_diacritics: bool = False) -> str:
    """The converter's key of a name: lower case, without spaces and punctuation, and, unless
    `keep_diacritics`, without diacritics (đ -> d)."""
    text = unicodedata.normalize("NFC", text)
    if not keep_diacritics:
        text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\W+", "", text).lower()


def key_matches(key: str, name: str) -> bool:
    """Whether a key of the converter denotes `name`. A few keys keep their diacritics (to tell
    apart names that only differ by them); they are compared with diacritics."""
    key = unicodedata.normalize("NFC", key)
    return key == name_key(name, keep_diacritics=not key.isascii())


def venv_python(venv_dir: Path) -> Path:
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def pip_install(python: Path, requirement: str, *options: str) -> None:
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *options,
            requirement,
        ],
        check=True,
    )


def create_venv(base_dir: Path, package_version: str, with_converter: bool = False) -> Path:
    """Create a venv with the given package version installed (and the converter's data if
    `with_converter`); return its interpreter."""
    venv_dir = base_dir / f"vp-{package_version}"
    extra = f" and {CONVERTER_PACKAGE}=={CONVERTER_VERSION}" if with_converter else ""
    print(f"Creating venv {venv_dir} with {PACKAGE}=={package_version}{extra} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv_dir)], check=True)
    python = venv_python(venv_dir)
    pip_install(python, f"{PACKAGE}=={package_version}")
    if with_converter:
        # Only the package's data files are read: its dependencies are not needed.
        pip_install(python, f"{CONVERTER_PACKAGE}=={CONVERTER_VERSION}", "--no-deps")
    return python


def run_snippet(python: str, snippet: str, args: list[str], label: str) -> dict:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    result = subprocess.run([python, "-c", snippet, *args], capture_output=True, env=env)
    if result.returncode != 0:
        raise SeedError(
            f"dumping {label} with {python} failed:\n" + result.stderr.decode("utf-8", "replace")
        )
    return json.loads(result.stdout.decode("utf-8"))


def parse_units(raw_units: list[dict], package_version: str) -> dict[str, Unit]:
    """Units keyed by GSO code, with the kind derived from the name."""
    units: dict[str, Unit] = {}
    type_mismatches = []
    for raw in raw_units:
        name = unicodedata.normalize("NFC", raw["name"].strip())
        if raw["parent"] is None and not name.startswith("Tỉnh "):
            # 2025.10.1 gives the province's name without its type.
            name = f"{raw['division_type'].capitalize()} {name}"
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


def dump_state(python: str, package_version: str) -> dict[str, Unit]:
    """Dump Gia Lai from the package installed for `python`; return units keyed by code."""
    payload = run_snippet(
        python, DUMP_SNIPPET, [str(PROVINCE_CODE)], f"{PACKAGE} {package_version}"
    )
    if payload["version"] != package_version:
        raise SeedError(f"{python} has {PACKAGE} {payload['version']}, expected {package_version}")
    return parse_units(payload["units"], package_version)


def dump_reform_state(python: str) -> tuple[dict[str, Unit], dict]:
    """Dump the new province Gia Lai and its part of the converter table."""
    payload = run_snippet(
        python,
        REFORM_DUMP_SNIPPET,
        [str(REFORM_PROVINCE_CODE), CONVERTER_PROVINCE_KEY, CONVERTER_OWN_OLD_KEY],
        f"{PACKAGE} {REFORM_VERSION} / {CONVERTER_PACKAGE} {CONVERTER_VERSION}",
    )
    if payload["version"] != REFORM_VERSION:
        raise SeedError(f"{python} has {PACKAGE} {payload['version']}, expected {REFORM_VERSION}")
    if payload["converter_version"] != CONVERTER_VERSION:
        raise SeedError(
            f"{python} has {CONVERTER_PACKAGE} {payload['converter_version']}, "
            f"expected {CONVERTER_VERSION}"
        )
    if payload["province_count"] != REFORM_PROVINCE_COUNT:
        raise SeedError(
            f"{REFORM_VERSION}: {payload['province_count']} provinces, "
            f"expected {REFORM_PROVINCE_COUNT}"
        )
    return parse_units(payload["units"], REFORM_VERSION), payload["converter"]


def level_counts(units: dict[str, Unit]) -> Counter:
    counts: Counter = Counter(unit.level for unit in units.values())
    counts.update(unit.kind for unit in units.values() if unit.level == "commune")
    return counts


def check_counts(units: dict[str, Unit], package_version: str) -> Counter:
    """Assert the expected number of units per level and commune kind."""
    counts = level_counts(units)
    province = [unit for unit in units.values() if unit.level == "province"]
    if [(u.code, u.name) for u in province] != [(str(PROVINCE_CODE), PROVINCE_NAME)]:
        raise SeedError(f"{package_version}: unexpected province rows {province}")
    district_codes = {int(u.code) for u in units.values() if u.level == "district"}
    if district_codes != EXPECTED_DISTRICT_CODES:
        raise SeedError(
            f"{package_version}: district codes {sorted(district_codes)} differ from "
            f"{sorted(EXPECTED_DISTRICT_CODES)}"
        )
    check_expected(counts, package_version)
    return counts


def check_reform_counts(units: dict[str, Unit]) -> Counter:
    """Assert the new province, its 135 units (110 xã, 25 phường) and no district."""
    counts = level_counts(units)
    province = [unit for unit in units.values() if unit.level == "province"]
    if [(u.code, u.name) for u in province] != [(str(REFORM_PROVINCE_CODE), PROVINCE_NAME)]:
        raise SeedError(f"{REFORM_VERSION}: unexpected province rows {province}")
    check_expected(counts, REFORM_VERSION)
    strays = [
        unit
        for unit in units.values()
        if unit.level == "commune" and unit.parent_code != str(REFORM_PROVINCE_CODE)
    ]
    if strays:
        raise SeedError(f"{REFORM_VERSION}: units outside the province: {strays}")
    return counts


def check_expected(counts: Counter, package_version: str) -> None:
    for key, expected in EXPECTED_COUNTS[package_version].items():
        if counts[key] != expected:
            raise SeedError(
                f"{package_version}: {counts[key]} units of {key!r}, expected {expected}"
            )
    unexpected = set(counts) - set(EXPECTED_COUNTS[package_version]) - set(LEVELS)
    if unexpected:
        raise SeedError(f"{package_version}: unexpected unit kinds {sorted(unexpected)}")


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


def change_links(old: dict[str, Unit], new: dict[str, Unit]) -> list[Link]:
    """The links of 1 Nov 2024 (checked by `check_links`) as `Link` rows."""
    return [
        Link(
            CHANGE_DATE,
            link.kind,
            old[link.predecessor_code],
            new[link.successor_code],
            LEGAL_BASIS,
            link.heir,
        )
        for link in CHANGE_LINKS
    ]


def resolve_new_keys(keys: set[str], communes: list[Unit]) -> dict[str, Unit]:
    """Map each new key of the converter to the one new unit whose name it denotes; fail
    unless this is a one-to-one map onto all the new units."""
    resolved = {}
    for key in sorted(keys):
        hits = [unit for unit in communes if key_matches(key, unit.name)]
        if len(hits) != 1:
            raise SeedError(f"new key {key!r} denotes {len(hits)} units of {REFORM_VERSION}")
        resolved[key] = hits[0]
    codes = Counter(unit.code for unit in resolved.values())
    doubles = [code for code, count in codes.items() if count > 1]
    missing = [unit for unit in communes if unit.code not in codes]
    if doubles or missing:
        raise SeedError(
            f"converter keys vs {REFORM_VERSION}: units with several keys {doubles}, "
            f"units without a key {[f'{u.code} {u.name}' for u in missing]}"
        )
    return resolved


def resolve_old_key(
    key: str, communes: list[Unit], districts: dict[str, Unit], notes: list[str]
) -> Unit:
    """The old commune-level unit (valid on the day before the reform) a key denotes."""
    parts = key.split("_")
    if len(parts) != 3 or parts[0] != CONVERTER_OWN_OLD_KEY:
        raise SeedError(f"old key {key!r} is not {CONVERTER_OWN_OLD_KEY}_<district>_<commune>")
    _, district_key, commune_key = parts
    hits = [
        unit
        for unit in communes
        if key_matches(district_key, districts[unit.parent_code].name)
        and key_matches(commune_key, unit.name)
    ]
    if key in OLD_KEY_ALIASES:
        if hits:
            raise SeedError(f"old key {key!r} has an alias but denotes {hits}: drop the alias")
        district_code, name = OLD_KEY_ALIASES[key]
        hits = [u for u in communes if u.parent_code == district_code and u.name == name]
        if len(hits) == 1:
            notes.append(f"old key {key} taken as {hits[0].code} {name} (spelling differs)")
    elif not key.isascii() and len(hits) == 1:
        notes.append(f"old key {key} kept its diacritics: {hits[0].code} {hits[0].name}")
    if len(hits) != 1:
        raise SeedError(f"old key {key!r} denotes {len(hits)} units of {NEW_VERSION}: {hits}")
    return hits[0]


def reform_links(
    before: dict[str, Unit], after: dict[str, Unit], converter: dict
) -> tuple[list[Link], list[Unit], list[str]]:
    """The links of 1 Jul 2025 from the converter table, checked against both unit lists.

    Return (links, new units without a Gia Lai predecessor, notes)."""
    if sorted(converter["province"] or []) != sorted(CONVERTER_OLD_PROVINCE_KEYS):
        raise SeedError(
            f"converter: {CONVERTER_PROVINCE_KEY} comes from {converter['province']}, expected "
            f"{list(CONVERTER_OLD_PROVINCE_KEYS)}"
        )
    if converter["stray_old_keys"]:
        raise SeedError(
            f"converter: old units of {CONVERTER_OWN_OLD_KEY} in other provinces: "
            f"{converter['stray_old_keys']}"
        )
    no_divided: dict[str, list[str]] = converter["no_divided"] or {}
    divided: dict[str, list[dict]] = converter["divided"]
    old_communes = [u for u in before.values() if u.level == "commune"]
    districts = {u.code: u for u in before.values() if u.level == "district"}
    new_communes = [u for u in after.values() if u.level == "commune"]
    new_keys = set(no_divided) | {
        part["newWardKey"] for parts in divided.values() for part in parts
    }
    new_by_key = resolve_new_keys(new_keys, new_communes)

    # Number of old units (of either old province) that go wholly or partly into a new one.
    predecessor_count: Counter = Counter({key: len(olds) for key, olds in no_divided.items()})
    for parts in divided.values():
        predecessor_count.update(part["newWardKey"] for part in parts)

    old_prefixes = tuple(f"{key}_" for key in CONVERTER_OLD_PROVINCE_KEYS)
    own_prefix = f"{CONVERTER_OWN_OLD_KEY}_"
    notes: list[str] = []
    seen_old_keys = set()
    links = []
    for new_key in sorted(no_divided):
        for old_key in no_divided[new_key]:
            if not old_key.startswith(old_prefixes):
                raise SeedError(f"converter: old key {old_key!r} of an unexpected province")
            if not old_key.startswith(own_prefix):
                continue
            seen_old_keys.add(old_key)
            predecessor = resolve_old_key(old_key, old_communes, districts, notes)
            kind = "merge" if predecessor_count[new_key] > 1 else "rename"
            successor = new_by_key[new_key]
            links.append(Link(REFORM_DATE, kind, predecessor, successor, REFORM_LEGAL_BASIS, True))
    for old_key in sorted(divided):
        if not old_key.startswith(old_prefixes):
            raise SeedError(f"converter: old key {old_key!r} of an unexpected province")
        if not old_key.startswith(own_prefix):
            continue
        seen_old_keys.add(old_key)
        parts = divided[old_key]
        defaults = [part for part in parts if part["isDefaultNewWard"]]
        if len(parts) < 2 or len(defaults) != 1:
            raise SeedError(f"converter: divided {old_key!r} has parts {parts}")
        predecessor = resolve_old_key(old_key, old_communes, districts, notes)
        for part in parts:
            successor = new_by_key[part["newWardKey"]]
            heir = bool(part["isDefaultNewWard"])
            links.append(
                Link(REFORM_DATE, "split", predecessor, successor, REFORM_LEGAL_BASIS, heir)
            )
    unused = set(OLD_KEY_ALIASES) - seen_old_keys
    if unused:
        raise SeedError(f"aliases not found in the converter: {sorted(unused)}")

    by_predecessor: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_predecessor[link.predecessor.code].append(link)
    for unit in old_communes:
        own = by_predecessor.get(unit.code, [])
        successors = {link.successor.code for link in own}
        heirs = sum(link.heir for link in own)
        kinds = {link.kind for link in own}
        if not own:
            raise SeedError(f"{unit.code} {unit.name}: no new unit in the converter")
        if heirs != 1 or len(successors) != len(own) or (len(own) > 1 and kinds != {"split"}):
            raise SeedError(
                f"{unit.code} {unit.name}: linked {len(own)} times with {heirs} heirs: {own}"
            )

    province_link = Link(
        REFORM_DATE,
        "merge",
        before[str(PROVINCE_CODE)],
        after[str(REFORM_PROVINCE_CODE)],
        PROVINCE_MERGER_LEGAL_BASIS,
        True,
    )
    with_predecessor = {link.successor.code for link in links}
    orphans = sorted(
        (unit for unit in new_communes if unit.code not in with_predecessor),
        key=lambda unit: unit.sort_key,
    )
    return [province_link, *links], orphans, notes


def code_differences(units: dict[str, Unit], converter_units: list[list[str]]) -> list[str]:
    """The new units whose GSO code differs in the converter package's own list (not fatal:
    the codes of the GSO list as packaged by vietnam-provinces are used)."""
    by_name = {unicodedata.normalize("NFC", name): code for name, code in converter_units}
    if len(by_name) != len(converter_units) or set(by_name) != {
        unit.name for unit in units.values() if unit.level == "commune"
    }:
        raise SeedError(f"{CONVERTER_PACKAGE}: its list of units differs from {REFORM_VERSION}")
    return [
        f"{unit.name}: GSO code {unit.code} in {PACKAGE} {REFORM_VERSION}, "
        f"{by_name[unit.name]} in {CONVERTER_PACKAGE} {CONVERTER_VERSION}"
        for unit in sorted(units.values(), key=lambda unit: unit.sort_key)
        if unit.level == "commune" and by_name[unit.name] != unit.code
    ]


def build_unit_rows(
    unchanged: list[Unit], ended: list[Unit], started: list[Unit], reformed: list[Unit]
) -> list[list[str]]:
    periods = (
        [(unit, OLD_STATE_FROM, PRE_REFORM_TO) for unit in unchanged]
        + [(unit, OLD_STATE_FROM, OLD_STATE_TO) for unit in ended]
        + [(unit, CHANGE_DATE, PRE_REFORM_TO) for unit in started]
        + [(unit, REFORM_DATE, "") for unit in reformed]
    )
    periods.sort(key=lambda item: (*item[0].sort_key, item[1]))
    return [
        [unit.code, unit.name, unit.kind, unit.level, unit.parent_code, valid_from, valid_to]
        for unit, valid_from, valid_to in periods
    ]


def build_change_rows(links: list[Link]) -> list[list[str]]:
    rows = [link.row() for link in links]
    rows.sort(key=lambda row: (row[0], int(row[2]), int(row[4]), row[1]))
    return rows


def validate_rows(unit_rows: list[list[str]], change_rows: list[list[str]]) -> None:
    """Check the files' invariants: periods of one code do not overlap, every parent is valid
    over its child's period and comes first, every link joins a unit that ends the day before
    to a unit valid on the date, and every predecessor has exactly one heir per date."""
    versions: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for values in unit_rows:
        row = dict(zip(UNITS_HEADER, values, strict=True))
        if row["valid_to"] and row["valid_to"] < row["valid_from"]:
            raise SeedError(f"unit {row} ends before it starts")
        parent = row["parent_gso_code"]
        if parent:
            if parent not in seen:
                raise SeedError(f"unit {row} comes before its parent")
            if not any(
                p["valid_from"] <= row["valid_from"]
                and (not p["valid_to"] or (row["valid_to"] and row["valid_to"] <= p["valid_to"]))
                for p in versions[parent]
            ):
                raise SeedError(f"unit {row}: no version of {parent} covers its period")
        versions[row["gso_code"]].append(row)
        seen.add(row["gso_code"])
    for code, rows in versions.items():
        rows = sorted(rows, key=lambda r: r["valid_from"])
        for earlier, later in itertools.pairwise(rows):
            if not earlier["valid_to"] or earlier["valid_to"] >= later["valid_from"]:
                raise SeedError(f"unit {code}: periods overlap: {earlier} / {later}")

    def valid_on(code: str, name: str, day: str) -> bool:
        return any(
            r["name"] == name
            and r["valid_from"] <= day
            and (not r["valid_to"] or day <= r["valid_to"])
            for r in versions.get(code, [])
        )

    heirs: Counter = Counter()
    for values in change_rows:
        row = dict(zip(CHANGES_HEADER, values, strict=True))
        date, before = row["date"], day_before(row["date"])
        if not any(
            r["name"] == row["predecessor_name"] and r["valid_to"] == before
            for r in versions.get(row["predecessor_gso_code"], [])
        ):
            raise SeedError(f"link {row}: the predecessor does not end on {before}")
        if not valid_on(row["successor_gso_code"], row["successor_name"], date):
            raise SeedError(f"link {row}: the successor is not valid on {date}")
        heirs[(date, row["predecessor_gso_code"])] += int(row["heir"])
    wrong = {key: count for key, count in heirs.items() if count != 1}
    if wrong:
        raise SeedError(f"predecessors without exactly one heir: {wrong}")


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
        "--v25-python",
        help=(
            f"interpreter that has {PACKAGE}=={REFORM_VERSION} and "
            f"{CONVERTER_PACKAGE}=={CONVERTER_VERSION} installed"
        ),
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
        if not (args.v04_python and args.v06_python and args.v25_python):
            tmp_dir = Path(tempfile.mkdtemp(prefix="gia-lai-units-"))
        old_python = args.v04_python or str(create_venv(tmp_dir, OLD_VERSION))
        new_python = args.v06_python or str(create_venv(tmp_dir, NEW_VERSION))
        reform_python = args.v25_python or str(
            create_venv(tmp_dir, REFORM_VERSION, with_converter=True)
        )
        old = dump_state(old_python, OLD_VERSION)
        new = dump_state(new_python, NEW_VERSION)
        reform, converter = dump_reform_state(reform_python)
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)

    for package_version, units in ((OLD_VERSION, old), (NEW_VERSION, new)):
        counts = check_counts(units, package_version)
        summary = ", ".join(f"{key}={counts[key]}" for key in EXPECTED_COUNTS[package_version])
        print(f"{PACKAGE} {package_version}: {summary}")
    counts = check_reform_counts(reform)
    summary = ", ".join(f"{key}={counts[key]}" for key in EXPECTED_COUNTS[REFORM_VERSION])
    print(f"{PACKAGE} {REFORM_VERSION}: province {REFORM_PROVINCE_CODE}, {summary}")

    unchanged, ended, started = compare_states(old, new)
    print(f"Differences {OLD_VERSION} -> {NEW_VERSION} (effective {CHANGE_DATE}):")
    for line in describe_differences(old, new):
        print(f"  {line}")
    check_links(ended, started, new)

    links, orphans, notes = reform_links(new, reform, converter)
    kinds = Counter(link.kind for link in links if link.predecessor.level == "commune")
    print(
        f"Links {NEW_VERSION} -> {REFORM_VERSION} (effective {REFORM_DATE}, "
        f"{CONVERTER_PACKAGE} {CONVERTER_VERSION}): "
        + ", ".join(f"{kind}={kinds[kind]}" for kind in ("merge", "rename", "split"))
        + f"; {len(reform) - 1 - len(orphans)} new units with a predecessor"
    )
    for note in notes:
        print(f"  note: {note}")
    for line in code_differences(reform, converter["units"]):
        print(f"  warning: {line}")
    print(f"New units without a predecessor in Gia Lai (former Bình Định area): {len(orphans)}")
    for unit in orphans:
        print(f"  {unit.code} {unit.name}")

    unit_rows = build_unit_rows(unchanged, ended, started, list(reform.values()))
    change_rows = build_change_rows(change_links(old, new) + links)
    validate_rows(unit_rows, change_rows)
    write_csv(args.output_dir / UNITS_FILE, UNITS_HEADER, unit_rows)
    write_csv(args.output_dir / CHANGES_FILE, CHANGES_HEADER, change_rows)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (SeedError, subprocess.CalledProcessError) as exc:
        sys.exit(f"error: {exc}")
