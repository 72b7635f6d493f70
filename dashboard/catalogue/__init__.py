"""More of the message catalogue, one module per area (each defines `MESSAGES` in the same
shape as `dashboard.i18n.MESSAGES`). `dashboard.i18n` merges them at import; a key defined
twice is an error at start-up, not a silent override."""

from __future__ import annotations

import importlib
import pkgutil


def collect() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, entry in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"Message key {key!r} is defined twice (catalogue.{info.name})")
            merged[key] = entry
    return merged
