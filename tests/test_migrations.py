"""The schema comes only from the migrations; they must match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engage.extensions import db
from engage.feedback.search.index import include_object


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                             "include_object": include_object})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_latest_migrations_keep_a_filled_database_both_ways(tmp_path, instance_dir):
    """The newest three migrations, down and up again, on a database holding the demo data: on SQLite a
    migration that rebuilds a table other tables refer to fails there, and only with rows in it."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from engage import create_app
    from engage.core.timeutil import utcnow
    from engage.demo import loader
    from tests.conftest import test_config

    app = create_app(test_config(f"sqlite:///{tmp_path / 'filled.sqlite'}", instance_dir))
    with app.app_context():
        upgrade()
        loader.load(now=utcnow())
        db.session.commit()
        tables = [table.name for table in db.metadata.sorted_tables]

        def counts():
            with db.engine.connect() as connection:
                return {name: connection.scalar(sa.text(f'SELECT count(*) FROM "{name}"')) for name in tables}

        before = counts()
        assert before["comments"] > 100 and before["opinion_groups"] > 0
        db.session.remove()
        downgrade(revision="-3")
        # A table the undone migrations created comes back empty; every table that stayed keeps its rows.
        kept = set(sa.inspect(db.engine).get_table_names()) & set(tables)
        upgrade()
        assert {name: n for name, n in counts().items() if name in kept} == {name: before[name] for name in kept}
        assert len(kept) > 40
        db.engine.dispose()
