"""Importing a session's list through the staff pages, as the supervising office does."""

import io

from flask_babel import refresh

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals.models import ImportJob, Proposal
from tests.fixtures.proposals import SESSION


def upload(client, text: str, filename="名单.csv"):
    jobs.huey.flush()
    return client.post("/staff/proposals/import", data={
        "kind": "suggestion", "session": SESSION, "file": (io.BytesIO(text.encode("utf-8-sig")), filename),
    })


def wait_for(client, job_url: str) -> dict:
    """Poll the progress the way the page does, while a consumer (here, this process) runs the queued import."""
    assert client.get(job_url + "/progress").json["state"] == "queued"
    task = jobs.huey.dequeue()
    assert task is not None and jobs.huey.dequeue() is None
    jobs.huey.execute(task)
    progress = client.get(job_url + "/progress").json
    assert progress["finished"]
    return progress


def test_an_import_with_errors_lists_them_and_imports_nothing(en_client, auth, supervisor, department):
    client = en_client  # the problems are stored in the uploader's language
    auth.login(supervisor.email)
    sent = upload(client, f"编号,标题,领衔人,主办单位\n001,标题一,张明,{department.name}\n,标题二,李华,不存在的局\n")
    assert sent.status_code == 302
    progress = wait_for(client, sent.location)
    assert (progress["state"], progress["errors"]) == ("failed", 2)
    page = client.get(sent.location).get_data(as_text=True)
    assert "Nothing was imported" in page and "The number is missing." in page and "Unknown unit" in page
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 0


def test_import_problems_name_their_column_in_the_interface_language(client, auth, supervisor, department):
    auth.login(supervisor.email)
    sent = upload(client, f"编号,标题,领衔人,主办单位\n,标题一,张明,{department.name}\n002,标题二,李华,不存在的局\n")
    wait_for(client, sent.location)
    page = client.get(sent.location).get_data(as_text=True)
    assert "<td>编号</td>" in page and "<td>主办单位</td>" in page
    assert "<td>number</td>" not in page and "<td>lead_units</td>" not in page


def test_import_problems_show_in_the_language_of_whoever_reads_them(client, auth, supervisor):
    client.set_cookie("lang", "en")
    auth.login(supervisor.email)
    sent = upload(client, "编号,标题,领衔人,主办单位\n,标题一,张明,不存在的局\n")
    wait_for(client, sent.location)
    client.set_cookie("lang", "zh")
    refresh()  # the requests share the test's app context, where Flask-Babel keeps the language it chose
    page = client.get(sent.location).get_data(as_text=True)
    assert "缺少编号。" in page and "未知单位“不存在的局”。" in page
    assert "The number is missing." not in page and "Unknown unit" not in page


def test_an_import_stored_with_translated_problems_still_shows_them(en_client, auth, supervisor):
    auth.login(supervisor.email)
    job = ImportJob(kind="suggestion", session_name=SESSION, filename="旧名单.csv", state="failed",
                    created_at=utcnow(), finished_at=utcnow(),
                    errors=[{"line": 3, "field": "title", "message": "缺少标题。"}])
    db.session.add(job)
    db.session.commit()
    page = en_client.get(f"/staff/proposals/import/{job.id}")
    assert page.status_code == 200
    assert "<td>缺少标题。</td>" in page.get_data(as_text=True)


def test_a_corrected_file_imports_every_case(client, auth, supervisor, department):
    auth.login(supervisor.email)
    sent = upload(client, f"编号,标题,领衔人,主办单位\n001,标题一,张明,{department.name}\n002,标题二,李华,\n")
    progress = wait_for(client, sent.location)
    assert (progress["state"], progress["imported"]) == ("done", 2)
    db.session.expire_all()
    statuses = sorted(db.session.scalars(db.select(Proposal.status)))
    assert statuses == ["assigned", "registered"]
    assert "2" in client.get(sent.location).get_data(as_text=True)


def test_a_file_that_is_not_a_list_is_refused_clearly(client, auth, supervisor, en_client):
    auth.login(supervisor.email)
    sent = upload(client, "hello", filename="notes.txt")
    wait_for(client, sent.location)
    job = db.session.scalars(db.select(ImportJob)).one()
    assert job.state == "failed" and "CSV or XLSX" in job.errors[0]["message"]


def test_a_queued_import_says_when_no_consumer_runs(en_client, auth, supervisor, department):
    auth.login(supervisor.email)
    jobs.huey.storage.delete_data(jobs.HEARTBEAT_KEY)
    sent = upload(en_client, f"编号,标题,领衔人,主办单位\n001,标题一,张明,{department.name}\n")
    page = en_client.get(sent.location).get_data(as_text=True)
    assert "Waiting for its turn" in page and "No job consumer has been seen lately" in page
    jobs.record_heartbeat()
    assert "No job consumer" not in en_client.get(sent.location).get_data(as_text=True)
