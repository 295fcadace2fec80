"""The regions migration moves every existing department and session into one root region, and back out again."""

import sqlalchemy as sa

from engage.extensions import db

BEFORE_REGIONS = "c7d2a9e4b150"


def test_existing_records_move_into_one_root_region_and_the_downgrade_keeps_them(tmp_path, instance_dir):
    from flask_migrate import downgrade, upgrade

    from engage import create_app
    from tests.conftest import test_config

    app = create_app(test_config(f"sqlite:///{tmp_path / 'regions.sqlite'}", instance_dir))
    with app.app_context():
        upgrade(revision=BEFORE_REGIONS)
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO departments (name, name_en, is_active, head_contact_name, "
                                       "head_contact_email, head_contact_phone) VALUES "
                                       "('市教育局', '', true, '', '', ''), ('市交通运输局', '', true, '', '', '')"))
            connection.execute(sa.text("INSERT INTO proposal_sessions (name, created_at, review_required) "
                                       "VALUES ('第十八届人大第三次会议', '2026-01-05 00:00:00', false)"))
        upgrade()
        with db.engine.connect() as connection:
            roots = connection.execute(sa.text("SELECT id, path, parent_id FROM regions")).all()
            placed = connection.execute(sa.text("SELECT region_id FROM department_regions")).scalars().all()
            sessions = connection.execute(sa.text("SELECT region_id FROM proposal_session_regions")).scalars().all()
        assert roots == [(1, "/1/", None)]
        assert placed == [1, 1] and sessions == [1]
        downgrade(revision=BEFORE_REGIONS)
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT count(*) FROM departments")) == 2
            assert connection.scalar(sa.text("SELECT count(*) FROM proposal_sessions")) == 1
        assert "regions" not in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
