"""Staff pages of the proposal tracker, used as staff use them."""

from engage.extensions import db


def test_the_unit_queue_shows_overdue_cases(client, auth, staff, assigned_case):
    assigned_case.due_on = assigned_case.assigned_on.replace(year=assigned_case.assigned_on.year - 1)
    db.session.commit()
    auth.login(staff.email)
    page = client.get("/staff/proposals/", headers={"Cookie": "lang=en"}).get_data(as_text=True)
    overdue_section = page.split('id="queue-overdue"')[1].split('id="queue-due-soon"')[0]
    assert assigned_case.title in overdue_section
