"""Reusable layout pieces and pure figure builders (DataFrame → Figure)."""
