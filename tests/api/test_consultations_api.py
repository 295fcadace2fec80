"""The public consultations API: lists, details, comments, receipts, and the OpenAPI document."""

import json
import warnings
from datetime import timedelta

import pytest

from engage.consultations import comment_services
from engage.consultations.models import Comment, ModerationMode
from engage.extensions import db
from tests import factories

CONTACT = "private.person@example.com"


def _comments():
    return db.session.scalars(db.select(Comment)).all()


def _post_comment(client, consultation, payload=None, **kwargs):
    return client.post(f"/api/v1/consultations/{consultation.id}/comments",
                       json=payload if payload is not None else {"body": "同意本办法。"}, **kwargs)


def test_list_is_paginated_and_hides_drafts(client, department, staff):
    for n in range(3):
        factories.make_consultation(department, staff, title=f"办法{n}")
    factories.make_consultation(department, staff, title="草稿", publish=False)
    body = client.get("/api/v1/consultations?per_page=2").json
    assert (body["page"], body["per_page"], body["total"]) == (1, 2, 3)
    assert len(body["items"]) == 2 and all(item["status"] == "open" for item in body["items"])
    assert "草稿" not in json.dumps(body, ensure_ascii=False)


def test_list_filters_by_status_department_and_chinese_text(client, department, other_department, staff,
                                                            other_staff, now):
    factories.make_consultation(department, staff, title="生活垃圾分类管理办法")
    factories.make_consultation(other_department, other_staff, title="公交线网优化方案", summary="公交",
                                opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=40))
    titles = lambda query: [i["title"] for i in client.get(f"/api/v1/consultations?{query}").json["items"]]  # noqa: E731
    assert titles("q=垃圾") == ["生活垃圾分类管理办法"]
    assert titles("status=scheduled") == ["公交线网优化方案"]
    assert titles(f"department={department.id}") == ["生活垃圾分类管理办法"]


@pytest.mark.parametrize("query", ["status=bogus", "page=0", "per_page=1000", "department=x"])
def test_list_refuses_bad_query_with_field_messages(client, app, query):
    response = client.get(f"/api/v1/consultations?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.json["errors"]


def test_detail_has_articles_period_status_and_counts(client, open_consultation):
    factories.make_comment(open_consultation)
    body = client.get(f"/api/v1/consultations/{open_consultation.id}").json
    assert body["status"] == "open" and body["kind"] == "major_decision"
    assert [a["number"] for a in body["articles"]] == [1, 2, 3, 4]
    assert body["articles"][2] == {"number": 3, "label": "第三条", "chapter": "第二章 分类投放",
                                   "body": "生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。", "comments": 0}
    assert body["counts"] == {"comments": 1, "received": 1}
    assert body["period"]["days_left"] >= 29 and body["period"]["closes_at"].endswith("+00:00")
    assert body["department"]["name"] == "市生态环境局"


def test_draft_and_unknown_consultations_are_not_found(client, department, staff):
    draft = factories.make_consultation(department, staff, publish=False)
    for url in (f"/api/v1/consultations/{draft.id}", "/api/v1/consultations/99999",
                f"/api/v1/consultations/{draft.id}/comments"):
        response = client.get(url)
        assert response.status_code == 404 and response.json["code"] == 404


def test_comments_list_is_published_only_and_has_no_contact(client, department, staff, now):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    kept = factories.make_comment(consultation, "公开的意见", contact=CONTACT, consent=True, article_number=2)
    factories.make_comment(consultation, "待审的意见", contact=CONTACT, consent=True)
    comment_services.moderate(consultation, [kept.id], approve=True, actor=staff, now=now)
    db.session.commit()
    response = client.get(f"/api/v1/consultations/{consultation.id}/comments")
    assert [c["body"] for c in response.json["items"]] == ["公开的意见"]
    assert response.json["items"][0]["article"] == 2 and response.json["items"][0]["name"] is None
    assert "private.person" not in response.get_data(as_text=True)
    assert "receipt" not in response.get_data(as_text=True)


def test_comments_list_filters_by_article(client, open_consultation):
    factories.make_comment(open_consultation, "第三条意见", article_number=3)
    factories.make_comment(open_consultation, "整体意见")
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    assert [c["body"] for c in client.get(f"{url}?article=3").json["items"]] == ["第三条意见"]
    assert client.get(f"{url}?article=42").status_code == 422


def test_comments_list_is_searched_with_the_article_filter(client, open_consultation):
    factories.make_comment(open_consultation, "第三条垃圾分类", article_number=3)
    factories.make_comment(open_consultation, "第三条其他", article_number=3)
    factories.make_comment(open_consultation, "整体垃圾意见")
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    body = client.get(f"{url}?q=垃圾&article=3").json
    assert [c["body"] for c in body["items"]] == ["第三条垃圾分类"] and body["total"] == 1
    assert [c["body"] for c in client.get(f"{url}?q=垃圾").json["items"]] == ["整体垃圾意见", "第三条垃圾分类"]


def test_comments_list_pages_by_cursor(client, open_consultation):
    for n in range(5):
        factories.make_comment(open_consultation, f"意见{n}")
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    first = client.get(f"{url}?per_page=2").json
    assert [c["body"] for c in first["items"]] == ["意见4", "意见3"] and first["total"] == 5
    assert first["prev_cursor"] is None and "page" not in first
    second = client.get(f"{url}?per_page=2&after={first['next_cursor']}").json
    assert [c["body"] for c in second["items"]] == ["意见2", "意见1"]
    last = client.get(f"{url}?per_page=2&after={second['next_cursor']}").json
    assert [c["body"] for c in last["items"]] == ["意见0"] and last["next_cursor"] is None
    back = client.get(f"{url}?per_page=2&before={last['prev_cursor']}").json
    assert back["items"] == second["items"]
    both = client.get(f"{url}?after=3&before=1")
    assert both.status_code == 422 and both.json["errors"]["before"] == ["after 和 before 只能给一个。"]
    assert client.get(f"{url}?after=0").status_code == 422


def test_each_article_says_how_many_published_comments_it_has(client, open_consultation):
    factories.make_comment(open_consultation, "一", article_number=3)
    factories.make_comment(open_consultation, "二", article_number=3)
    articles = client.get(f"/api/v1/consultations/{open_consultation.id}").json["articles"]
    assert {a["number"]: a["comments"] for a in articles} == {1: 0, 2: 0, 3: 2, 4: 0}


@pytest.mark.parametrize("q", ["垃", " 垃 ", "垃" * 51])
def test_comments_search_of_the_wrong_length_is_refused(client, open_consultation, q):
    response = client.get(f"/api/v1/consultations/{open_consultation.id}/comments", query_string={"q": q},
                          headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json["errors"]["q"] == ["Enter between 2 and 50 characters to search for."]


def test_post_comment_answers_201_with_receipt(client, open_consultation):
    response = _post_comment(client, open_consultation, {"body": "建议", "article": 3, "name": "老李"})
    assert response.status_code == 201
    assert response.json["status"] == "published" and len(response.json["receipt_number"]) == 14
    assert response.headers["Location"] == f"/api/v1/receipts/{response.json['receipt_number']}"
    (comment,) = _comments()
    assert comment.article.number == 3 and comment.display_name == "老李"


def test_post_comment_in_review_mode_is_pending(client, department, staff):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    assert _post_comment(client, consultation).json["status"] == "pending"


@pytest.mark.parametrize("period", ["scheduled", "closed"])
def test_post_comment_outside_period_is_409(client, department, staff, now, period):
    opens, closes = ((now + timedelta(days=1), now + timedelta(days=40)) if period == "scheduled"
                     else (now - timedelta(days=40), now - timedelta(seconds=1)))
    consultation = factories.make_consultation(department, staff, opens_at=opens, closes_at=closes)
    response = _post_comment(client, consultation, headers={"Accept-Language": "en"})
    assert response.status_code == 409 and "comment period" in response.json["message"]
    assert _comments() == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": 12}, "body"),
        ({"body": "x", "article": 99}, "article"),
        ({"body": "x", "article": "three"}, "article"),
        ({"body": "x", "contact": "13912345678"}, "consent"),
        ({"body": "x", "contact": "not a contact", "consent": True}, "contact"),
        ({"body": "x", "name": "n" * 51}, "name"),
        ({"body": "x", "surprise": 1}, "surprise"),
    ],
)
def test_post_comment_invalid_gives_422_per_field(client, open_consultation, payload, field):
    response = _post_comment(client, open_consultation, payload)
    assert response.status_code == 422
    assert isinstance(response.json["errors"][field], list) and response.json["errors"][field]
    assert _comments() == []


def test_idempotency_key_makes_retry_return_first_answer(client, open_consultation):
    headers = {"Idempotency-Key": "7f1d5b8e-retry"}
    first = _post_comment(client, open_consultation, headers=headers)
    again = _post_comment(client, open_consultation, {"body": "不同的正文"}, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json == first.json
    assert len(_comments()) == 1


def test_without_idempotency_key_each_post_is_a_comment(client, open_consultation):
    _post_comment(client, open_consultation)
    _post_comment(client, open_consultation)
    assert len(_comments()) == 2


def test_rate_limit_gives_429_json(client, app, open_consultation):
    app.config["RATELIMIT_COMMENTS"] = "2 per minute"
    assert [_post_comment(client, open_consultation).status_code for _ in range(3)] == [201, 201, 429]
    assert client.post(f"/api/v1/consultations/{open_consultation.id}/comments",
                       json={"body": "x"}).json["code"] == 429
    assert len(_comments()) == 2


def test_receipt_shows_status_and_consultation(client, open_consultation):
    receipt = _post_comment(client, open_consultation, {"body": "意见", "contact": CONTACT, "consent": True}).json
    response = client.get(f"/api/v1/receipts/{receipt['receipt_number'].lower()}")
    assert response.status_code == 200
    assert response.json["status"] == "published" and response.json["body"] == "意见"
    assert response.json["consultation"] == {"id": open_consultation.id, "title": open_consultation.title}
    assert response.json["rejection_reason"] is None
    assert "private.person" not in response.get_data(as_text=True)


def test_receipt_of_rejected_comment_gives_reason(client, department, staff, now):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    comment = factories.make_comment(consultation, "广告")
    comment_services.moderate(consultation, [comment.id], approve=False, reason="商业广告", actor=staff, now=now)
    db.session.commit()
    body = client.get(f"/api/v1/receipts/{comment.receipt_number}").json
    assert body["status"] == "rejected" and body["rejection_reason"] == "商业广告"


def test_unknown_receipt_is_404(client, app):
    response = client.get("/api/v1/receipts/ZZZZ-ZZZZ-ZZZZ", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "receipt number" in response.json["message"]


def test_every_api_rule_is_in_the_openapi_document(client, app):
    spec = client.get("/api/v1/openapi.json").json
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs"):
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, (path, method)


def test_every_schema_in_the_openapi_document_has_a_name_of_its_own(make_app):
    # apispec renames a second schema of the same class name ("ChangeOut1") and only warns: clients would
    # get generated types named after an accident of registration order.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_app()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from ([value] if key == "$ref" else _refs(value))
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_references_all_resolve(client, app):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for ref in set(_refs(spec)):
        node = spec
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]


def test_openapi_marks_staff_endpoints_and_error_answers(client, app):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/api/v1/consultations"]["post"]["security"] == [{"bearerAuth": []}]
    assert "security" not in spec["paths"]["/api/v1/consultations"]["get"]
    post_comment = spec["paths"]["/api/v1/consultations/{consultation_id}/comments"]["post"]
    assert {"201", "200", "409", "422", "429"} <= set(post_comment["responses"])
