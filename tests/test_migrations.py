"""The migrations build exactly the schema the models declare."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import dashboard.models  # noqa: F401  (registers every table)
from dashboard.db import Base, make_engine

pytestmark = pytest.mark.db


def test_migrated_schema_matches_the_models(template_url):
    # Catches: a model column, table, index or foreign key added without a migration (or a
    # migration that differs from the model): production databases are built by migrations.
    engine = make_engine(template_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
