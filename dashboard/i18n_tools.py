"""Message-key tooling for the catalogue in `dashboard.i18n` (and `dashboard.catalogue`).

    python -m dashboard.i18n_tools check            # keys missing, unused, placeholders
    python -m dashboard.i18n_tools export --out DIR  # messages.pot, vi/ and en/ .po files

Keys are found with Babel's extractor (keyword `_`, and `lazy_`) in the Python modules and the
Jinja templates of `dashboard/`. Three other kinds of use are counted:

- dynamic keys, built at run time (`_(f"status.{x}")`): every f-string that builds a key is
  found in the source and must match a pattern declared in `DYNAMIC_KEYS`, with the reason;
- keys held in a variable first (`key = "validation.unknown_unit"`, then `_(key)`): a string
  literal in the code equal to a defined key counts as a use;
- nothing else: a key defined and used in none of these ways is unused.

`check` exits with 1 when a key is used but missing, defined but unused, a dynamic key is not
declared, the `{placeholders}` of the Vietnamese and English texts differ, or a call does not
pass a placeholder its text needs. Empty texts and English identical to Vietnamese are warnings.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import fnmatch
import io
import string
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from dashboard import i18n

PACKAGE_DIR = Path(__file__).resolve().parent
KEYWORDS = ("_", "lazy_")
METHOD_MAP = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS_MAP = {"**/templates/**.html": {"silent": "false"}}

# Keys built at run time, as the f-string that builds them reads with `*` for each substitution.
# Every such f-string in `dashboard/` must be declared here; the keys a pattern matches count
# as used.
DYNAMIC_KEYS: dict[str, str] = {
    "audit.action.*": "audit log: the last part of the recorded action (audit.action.approve)",
    "choice.*.*": "registry choices: choice.<field's choice list>.<stored value>",
    "choice.bool.*": "registry yes/no fields: choice.bool.true / choice.bool.false",
    "excel.col.*": "Excel template column headers: excel.col.<field>[_dossier]",
    "excel.help.*": "Excel template help lines, numbered",
    "field.*": "registry field labels: field.<column name>",
    "kind.*": "unit kinds stored in the database (xa, phuong, huyen…)",
    "lang.name.*": "language switch: the name of each language",
    "level.*": "indicator levels stored in the database (commune, district…)",
    "nav.group.*": "navbar menu groups named by the pages' `group`",
    "noun.reporting.*": "the units that report in a period, by its reporting level's code",
    "column.reporting.*": "the records' column of the unit that reports, by reporting level",
    "filter.unit.*": "the unit picker's label, by the reporting level's code of the period",
    "indicator_admin.field.*": "the audit log's names of an indicator's recorded fields",
    "period_kind.*": "period kinds stored in the database (year, half, quarter)",
    "pillar.*": "pillar pages: the pillar's title",
    "pillar.*.intro": "pillar pages: the pillar's introduction",
    "registry.*": "registry names: registry.<registry>",
    "role.*": "user roles stored in the database (admin, viewer, editor)",
    "status.*": "district report statuses stored in the database (draft, submitted…)",
    "workflow.action.*": "reporting workflow actions (submit, approve, return, reopen)",
    "workflow.done.*": "reporting workflow: the message after each action",
}


@dataclass
class Use:
    key: str
    where: str  # file:line
    params: set[str] | None = None  # keyword arguments passed; None when unknown (`**params`)


@dataclass
class Scan:
    literal: list[Use] = field(default_factory=list)  # `_("key")` found by Babel
    calls: list[Use] = field(default_factory=list)  # `_("key", x=...)` with their parameters
    dynamic: list[Use] = field(default_factory=list)  # key patterns of f-strings
    indirect: dict[str, str] = field(default_factory=dict)  # key literal → first place
    import_time: list[Use] = field(default_factory=list)  # `_()` run once, at import


# --- finding uses ----------------------------------------------------------------------------


def extract_keys(root: Path = PACKAGE_DIR) -> list[Use]:
    """Every literal first argument of `_` / `lazy_` in the Python modules and templates under
    `root`, with Babel's extractor."""
    uses = []
    # Babel notes each f-string it skips on stderr; those are the dynamic keys, checked below.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(
            extract_from_dir(
                root,
                method_map=METHOD_MAP,
                options_map=OPTIONS_MAP,
                keywords={k: None for k in KEYWORDS},
            )
        )
    for filename, lineno, message, _comments, _context in found:
        key = message[0] if isinstance(message, tuple) else message
        if key:
            uses.append(Use(key, f"{filename}:{lineno}"))
    return uses


def _is_keyword_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in KEYWORDS
        and bool(node.args)
    )


def _fstring_pattern(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value.replace("*", "[*]"))
        else:
            parts.append("*")
    return "".join(parts)


def _catalogue_key_nodes(tree: ast.Module) -> set[int]:
    """The key literals of `MESSAGES = {...}` definitions (not uses)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        if any(isinstance(t, ast.Name) and t.id == "MESSAGES" for t in targets) and isinstance(
            value, ast.Dict
        ):
            skip.update(id(k) for k in value.keys if k is not None)
    return skip


def _import_time_calls(tree: ast.Module) -> list[ast.Call]:
    """`_()` calls outside any function: run once when the module is imported, so in the
    default language whatever the request's (use `lazy_` or move them into the function)."""
    found, pending = [], list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if _is_keyword_call(node) and node.func.id == "_":
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def scan_source(keys: set[str], root: Path = PACKAGE_DIR) -> Scan:
    """Dynamic key patterns, key literals outside the catalogue and the parameters of each call,
    from the Python modules under `root`."""
    scan = Scan()
    prefixes = {key.rsplit(".", 1)[0] + "." for key in keys if "." in key}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        definitions = _catalogue_key_nodes(tree)
        for call in _import_time_calls(tree):
            first = call.args[0]
            key = first.value if isinstance(first, ast.Constant) else ast.unparse(first)
            scan.import_time.append(Use(str(key), f"{rel}:{call.lineno}"))
        in_call: set[int] = set()
        for node in ast.walk(tree):
            if _is_keyword_call(node):
                first = node.args[0]
                in_call.add(id(first))
                where = f"{rel}:{node.lineno}"
                if isinstance(first, ast.JoinedStr):
                    scan.dynamic.append(Use(_fstring_pattern(first), where))
                elif isinstance(first, ast.Constant) and isinstance(first.value, str):
                    unknown = any(kw.arg is None for kw in node.keywords)
                    params = {kw.arg for kw in node.keywords if kw.arg not in (None, "lang")}
                    scan.calls.append(Use(first.value, where, None if unknown else params))
        for node in ast.walk(tree):
            if id(node) in definitions or id(node) in in_call:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in keys:
                    scan.indirect.setdefault(node.value, f"{rel}:{node.lineno}")
            elif isinstance(node, ast.JoinedStr):
                # An f-string outside `_()` that starts like a key builds one (excel.col.*).
                head = node.values[0] if node.values else None
                if (
                    isinstance(head, ast.Constant)
                    and isinstance(head.value, str)
                    and any(head.value.startswith(p) for p in prefixes)
                    and "." in head.value
                    and " " not in head.value
                ):
                    scan.dynamic.append(Use(_fstring_pattern(node), f"{rel}:{node.lineno}"))
    return scan


# --- checking --------------------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    """`{name}` fields of a format string."""
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}


@dataclass
class Report:
    defined: int = 0
    used: int = 0
    declared: int = 0  # dynamic patterns
    missing: dict[str, list[str]] = field(default_factory=dict)
    unused: dict[str, str] = field(default_factory=dict)  # key → module defining it
    undeclared: dict[str, list[str]] = field(default_factory=dict)
    unmatched_dynamic: dict[str, list[str]] = field(default_factory=dict)
    placeholder_mismatch: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    missing_params: list[str] = field(default_factory=list)
    stale_declarations: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    identical: list[str] = field(default_factory=list)
    unused_params: list[str] = field(default_factory=list)
    import_time: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return (
            len(self.missing)
            + len(self.unused)
            + len(self.undeclared)
            + len(self.unmatched_dynamic)
            + len(self.placeholder_mismatch)
            + len(self.missing_params)
        )


def key_sources() -> dict[str, str]:
    """Which module defines each key."""
    from dashboard import catalogue

    sources = {key: "dashboard.i18n" for key in i18n.MESSAGES}
    sources.update(catalogue.sources())
    return sources


def check(
    root: Path = PACKAGE_DIR, messages: dict | None = None, dynamic: dict | None = None
) -> Report:
    """Compare the keys used under `root` with `messages` (default: the whole catalogue), the
    dynamic ones with `dynamic` (default: `DYNAMIC_KEYS`)."""
    messages = i18n.MESSAGES if messages is None else messages
    dynamic = DYNAMIC_KEYS if dynamic is None else dynamic
    keys = set(messages)
    report = Report(defined=len(keys), declared=len(dynamic))
    literal = extract_keys(root)
    scan = scan_source(keys, root)

    used: set[str] = set()
    # Babel does not look inside f-strings (`f"{_('common.optional')}"`); the syntax tree does.
    for use in [*literal, *scan.calls]:
        if use.key in keys:
            used.add(use.key)
        else:
            places = report.missing.setdefault(use.key, [])
            if use.where not in places:
                places.append(use.where)
    used.update(scan.indirect)

    sites: dict[str, list[str]] = defaultdict(list)
    for use in scan.dynamic:
        sites[use.key].append(use.where)
    for pattern, where in sorted(sites.items()):
        if pattern not in dynamic:
            report.undeclared[pattern] = where
            continue
        matched = {k for k in keys if fnmatch.fnmatchcase(k, pattern)}
        if not matched:
            report.unmatched_dynamic[pattern] = where
        used.update(matched)
    report.stale_declarations = sorted(set(dynamic) - set(sites))
    report.import_time = sorted(f"{u.where}: {u.key}" for u in scan.import_time)
    report.used = len(used)

    sources = key_sources()
    report.unused = {k: sources.get(k, "?") for k in sorted(keys - used)}

    for key, (vi, en) in sorted(messages.items()):
        if not vi.strip() or not en.strip():
            report.empty.append(key)
        elif vi.strip() == en.strip():
            report.identical.append(key)
        if placeholders(vi) != placeholders(en):
            report.placeholder_mismatch[key] = (placeholders(vi), placeholders(en))

    for call in scan.calls:
        if call.key not in messages or call.params is None:
            continue
        needed = placeholders(messages[call.key][0]) | placeholders(messages[call.key][1])
        if needed - call.params:
            names = ", ".join(sorted(needed - call.params))
            report.missing_params.append(f"{call.where}: {call.key} needs {names}")
        elif call.params - needed:
            names = ", ".join(sorted(call.params - needed))
            report.unused_params.append(f"{call.where}: {call.key} ignores {names}")
    return report


def print_report(report: Report, out=None) -> None:
    out = out if out is not None else sys.stdout  # read at call time (tests capture it)

    def section(title: str, lines: list[str]) -> None:
        if lines:
            print(f"{title} ({len(lines)}):", file=out)
            for line in lines:
                print(f"  {line}", file=out)

    print(
        f"Message keys: {report.defined} defined, {report.used} used, "
        f"{report.declared} dynamic patterns declared.",
        file=out,
    )
    section(
        "Used but not defined",
        [f"{k}  ({', '.join(w)})" for k, w in sorted(report.missing.items())],
    )
    section("Defined but unused", [f"{k}  ({m})" for k, m in report.unused.items()])
    section(
        "Dynamic keys not declared in DYNAMIC_KEYS",
        [f"{p}  ({', '.join(w)})" for p, w in report.undeclared.items()],
    )
    section(
        "Dynamic keys matching no defined key",
        [f"{p}  ({', '.join(w)})" for p, w in report.unmatched_dynamic.items()],
    )
    section(
        "Placeholders differ between Vietnamese and English",
        [
            f"{k}: vi {sorted(vi)} / en {sorted(en)}"
            for k, (vi, en) in report.placeholder_mismatch.items()
        ],
    )
    section("Calls not passing a placeholder", report.missing_params)
    section("Warning: empty text", report.empty)
    section("Warning: English identical to Vietnamese", report.identical)
    section("Warning: parameters no text uses", report.unused_params)
    section("Warning: declared dynamic patterns no code builds", report.stale_declarations)
    section(
        "Warning: translated once at import, so always in Vietnamese (use lazy_ or translate "
        "when rendering)",
        report.import_time,
    )
    print("OK" if report.errors == 0 else f"{report.errors} problem(s).", file=out)


# --- export for translators ------------------------------------------------------------------


def build_catalog(lang: str | None, root: Path = PACKAGE_DIR) -> Catalog:
    """A gettext catalogue keyed by message key: the template (`lang=None`, empty texts and the
    Vietnamese as a comment) or the Vietnamese or English translations."""
    catalog = Catalog(
        locale=lang,
        domain="messages",
        project="ntm-digital-monitor",
        header_comment=(
            "# Messages of the NTM digital transformation monitor, keyed by message key.\n"
            "# Generated from dashboard.i18n (the source of the texts) by\n"
            "# `python -m dashboard.i18n_tools export`."
        ),
        charset="utf-8",
        fuzzy=False,
    )
    locations: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for use in extract_keys(root):
        filename, _sep, line = use.where.rpartition(":")
        locations[use.key].append((f"dashboard/{filename}", int(line)))
    for key, (vi, en) in sorted(i18n.MESSAGES.items()):
        text = "" if lang is None else (vi if lang == "vi" else en)
        comments = [f"vi: {vi}"] if lang != "vi" else []
        catalog.add(key, text, locations=locations.get(key, []), auto_comments=comments)
    return catalog


def export(out_dir: Path) -> list[Path]:
    """Write `messages.pot` and `<lang>/LC_MESSAGES/messages.po` for each language."""
    written = []
    targets = [(None, out_dir / "messages.pot")] + [
        (lang, out_dir / lang / "LC_MESSAGES" / "messages.po") for lang in i18n.LANGUAGES
    ]
    for lang, path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, build_catalog(lang), width=100, sort_output=True)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.i18n_tools", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="keys used but missing, unused keys, placeholders")
    exporter = commands.add_parser("export", help="write .pot/.po files for translators")
    exporter.add_argument("--format", choices=["po"], default="po")
    exporter.add_argument("--out", type=Path, default=Path("build/i18n"))
    args = parser.parse_args(argv)
    if args.command == "check":
        report = check()
        print_report(report)
        return 1 if report.errors else 0
    for path in export(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
