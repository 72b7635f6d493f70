"""The scope rules live in `dashboard.scope` (imported by auth and services alike); this name
keeps `from dashboard.services.scope import …` working."""

from dashboard.scope import (  # noqa: F401
    applies_clause,
    applies_join,
    district_code_known,
    district_of,
    district_owner,
    find_district,
    in_district,
    indicator_applies,
    indicator_in_force,
    lifetime,
    units_in_district,
    within_district,
)
