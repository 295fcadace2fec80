"""Suspected campaigns: one text sent many times is stored every time, counted, and shown to moderators."""

import pytest

from engage.consultations import campaigns
from engage.consultations.models import Comment
from engage.extensions import db

LETTER = "坚决反对第十二条，请删除按次收费的规定！"


def _send(client, consultation, body, address):
    return client.post(f"/api/v1/consultations/{consultation.id}/comments", json={"body": body},
                       environ_base={"REMOTE_ADDR": address})


def test_texts_differing_only_in_spacing_punctuation_or_width_share_a_fingerprint():
    assert campaigns.fingerprint(LETTER) == campaigns.fingerprint("坚决反对第十二条 请删除按次收费的规定")
    assert campaigns.fingerprint("Stop Article 12!") == campaigns.fingerprint("ｓｔｏｐ　ａｒｔｉｃｌｅ１２")
    assert campaigns.fingerprint(LETTER) != campaigns.fingerprint("坚决支持第十二条，请保留按次收费的规定！")


def test_a_source_key_counts_an_address_without_keeping_it():
    key = campaigns.source_key("203.0.113.7", "secret")
    assert key == campaigns.source_key("203.0.113.7", "secret") != campaigns.source_key("203.0.113.8", "secret")
    assert "203" not in key and len(key) == 16 and campaigns.source_key(None, "secret") == ""


@pytest.fixture
def flooded(app, client, open_consultation):
    app.config["CAMPAIGN_MIN_COPIES"] = 3
    for n in range(6):  # six copies from three addresses, punctuation varying
        assert _send(client, open_consultation, LETTER if n % 2 else LETTER.replace("，", " "),
                     f"198.51.100.{n % 3}").status_code == 201
    for _ in range(2):  # a text sent twice: under the threshold
        assert _send(client, open_consultation, "建议延长征求意见时间。", "192.0.2.1").status_code == 201
    assert _send(client, open_consultation, "我有不同看法：应当分类计费。", "192.0.2.9").status_code == 201
    return open_consultation


def test_every_copy_is_stored_and_the_campaign_is_shown_with_its_sources(client, flooded, staff_token):
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 9
    answer = client.get(f"/api/v1/consultations/{flooded.id}/campaigns", headers=staff_token)
    assert answer.status_code == 200
    [campaign] = answer.json["items"]
    assert (campaign["copies"], campaign["sources"]) == (6, 3)
    assert campaign["sample"] in (LETTER, LETTER.replace("，", " ")) and campaign["receipt_number"]


def test_moderators_of_other_departments_are_refused(client, flooded, other_staff_token):
    assert client.get(f"/api/v1/consultations/{flooded.id}/campaigns", headers=other_staff_token).status_code == 403


def test_the_staff_page_lists_the_campaign(client, auth, flooded, staff):
    auth.login(staff.email)
    html = client.get(f"/staff/consultations/{flooded.id}/campaigns").get_data(as_text=True)
    assert "6 份" in html and "来自 3 个来源" in html and "请删除按次收费的规定" in html
