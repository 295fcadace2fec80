"""Opinions at an event: the organiser's questionnaire, attendees' private links, answers, the feedback page."""

import pytest

from engage.events.models import Registration
from engage.events.opinions import services as opinion_services
from engage.events.opinions.models import OpinionGroup, OpinionResponse, Questionnaire
from engage.extensions import db


def _add_questions(client, event_id):
    url = f"/staff/events/{event_id}/opinions/questions"
    client.post(url, data={"kind": "rating", "text": "您对本次活动的总体评价", "is_required": "y"})
    client.post(url, data={"kind": "single_choice", "text": "您是从哪里得知本次活动的？",
                           "choices": "政府网站\n微信公众号\n社区通知"})
    client.post(url, data={"kind": "free_text", "text": "您对我们的工作有什么意见和建议？"})


@pytest.fixture
def open_questionnaire(client, auth, organiser, started_event):
    auth.login(organiser.email)
    _add_questions(client, started_event.id)
    client.post(f"/staff/events/{started_event.id}/opinions/open")
    return db.session.scalar(db.select(Questionnaire))


def _link(app, registration):
    return "/events/opinions/" + opinion_services.opinion_token(registration, app.config["SECRET_KEY"])


def _registrations():
    return db.session.scalars(db.select(Registration).order_by(Registration.number)).all()


def test_organiser_builds_and_opens_a_questionnaire(open_questionnaire):
    assert open_questionnaire.is_open
    assert [q.kind for q in open_questionnaire.questions] == ["rating", "single_choice", "free_text"]
    assert open_questionnaire.questions[1].choices == ["政府网站", "微信公众号", "社区通知"]


def test_single_choice_needs_two_options(en_client, auth, organiser, started_event):
    auth.login(organiser.email)
    response = en_client.post(f"/staff/events/{started_event.id}/opinions/questions",
                              data={"kind": "single_choice", "text": "哪一项？", "choices": "只有一项"})
    assert response.status_code == 422 and "Give between 2 and 10 options" in response.get_data(as_text=True)


def test_attendee_answers_once_through_the_private_link(app, client, open_questionnaire):
    registration = _registrations()[0]
    rating, choice, text = open_questionnaire.questions
    link = _link(app, registration)
    form = {f"question-{rating.id}": "4", f"question-{choice.id}": "微信公众号",
            f"question-{text.id}": "希望增加周末场次"}
    assert client.post(link, data=form).status_code == 302
    response = client.post(link, data=form)
    assert response.status_code in (200, 422)
    assert db.session.scalar(db.select(db.func.count()).select_from(OpinionResponse)) == 1


def test_required_rating_is_refused_when_missing(app, en_client, open_questionnaire):
    link = _link(app, _registrations()[0])
    response = en_client.post(link, data={})
    assert response.status_code == 422 and "Answer this question." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(OpinionResponse)) is None


def test_a_forged_link_is_refused(client, open_questionnaire):
    assert client.get("/events/opinions/MQ.forged").status_code == 404


def test_cancelled_sign_up_cannot_answer(app, en_client, open_questionnaire):
    registration = _registrations()[0]
    registration.status = "cancelled"
    db.session.commit()
    page = en_client.get(_link(app, registration)).get_data(as_text=True)
    assert "This questionnaire is not open at the moment." in page


def test_find_my_questionnaire_by_code_and_phone(app, client, open_questionnaire):
    registration = _registrations()[0]
    response = client.post("/events/opinions/find", data={"code": registration.code, "phone": registration.phone})
    assert response.headers["Location"].endswith(_link(app, registration))


def _answer_all(app, client, questionnaire, texts):
    rating, _choice, text = questionnaire.questions
    for registration, opinion in zip(_registrations(), texts, strict=False):
        client.post(_link(app, registration), data={f"question-{rating.id}": "5", f"question-{text.id}": opinion})


def test_organiser_answers_a_group_then_publishes_the_feedback(app, en_client, organiser, started_event,
                                                               open_questionnaire):
    _answer_all(app, en_client, open_questionnaire, ["希望增加周末场次", "建议周末也开放", "讲解很好"])
    items = opinion_services.opinions(open_questionnaire)
    url = f"/staff/events/{started_event.id}/opinions"
    response = en_client.post(url + "/answers", data={"item_ids": [str(items[0].id), str(items[1].id)],
                                                      "outcome": "not_adopted", "summary": "增加周末场次"})
    assert response.status_code == 422 and "Give the reason" in response.get_data(as_text=True)
    en_client.post(url + "/answers", data={"item_ids": [str(items[0].id), str(items[1].id)],
                                           "outcome": "partly_adopted", "summary": "增加周末场次",
                                           "reason": "九月起每月第一个周六开放"})
    response = en_client.post(url + "/feedback", data={"summary": "感谢参与"})
    assert response.status_code == 422 and "1 opinions still need an answer" in response.get_data(as_text=True)
    en_client.post(url + "/answers", data={"item_ids": [str(items[2].id)], "outcome": "adopted"})
    assert en_client.post(url + "/feedback", data={"summary": "感谢参与"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(OpinionGroup)) == 2
    page = en_client.get(f"/events/{started_event.id}/feedback").get_data(as_text=True)
    assert "增加周末场次" in page and "九月起每月第一个周六开放" in page and "讲解很好" in page
    assert "average 5.0 of 5" in page and "Partly adopted" in page


def test_an_answer_without_outcome_or_summary_shows_both_problems(app, en_client, started_event, open_questionnaire):
    _answer_all(app, en_client, open_questionnaire, ["希望增加周末场次", "建议周末也开放"])
    items = opinion_services.opinions(open_questionnaire)
    response = en_client.post(f"/staff/events/{started_event.id}/opinions/answers",
                              data={"item_ids": [str(items[0].id), str(items[1].id)]})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose how the opinion was handled." in text and "Sum up what these opinions say" in text
    assert db.session.scalar(db.select(OpinionGroup)) is None


def test_an_answer_without_opinions_asks_for_them_and_the_outcome(app, en_client, started_event,
                                                                  open_questionnaire):
    _answer_all(app, en_client, open_questionnaire, ["希望增加周末场次"])
    response = en_client.post(f"/staff/events/{started_event.id}/opinions/answers", data={"reason": "理由"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the opinions this answer is for." in text and "Choose how the opinion was handled." in text
    assert "Sum up what these opinions say" not in text


def test_rating_chart_says_one_point_in_the_singular(app, en_client, started_event, open_questionnaire):
    page = en_client.get(f"/staff/events/{started_event.id}/opinions").get_data(as_text=True)
    assert "1 point<" in page and "2 points<" in page
    assert "1 points" not in page


def test_feedback_page_is_hidden_until_published(client, open_questionnaire, started_event):
    assert client.get(f"/events/{started_event.id}/feedback").status_code == 404


def test_questions_are_fixed_once_answered(app, en_client, started_event, open_questionnaire):
    _answer_all(app, en_client, open_questionnaire, ["意见"])
    response = en_client.post(f"/staff/events/{started_event.id}/opinions/questions",
                              data={"kind": "free_text", "text": "新问题"})
    assert response.status_code == 422
    assert len(db.session.scalar(db.select(Questionnaire)).questions) == 3


def test_opinion_pages_render(app, client, started_event, open_questionnaire):
    registration = _registrations()[0]
    for url in (f"/staff/events/{started_event.id}/opinions", f"/staff/events/{started_event.id}/opinions/links",
                _link(app, registration), "/events/opinions/find"):
        assert client.get(url).status_code == 200, url


def test_viewing_the_opinions_page_stores_nothing(client, auth, organiser, started_event):
    auth.login(organiser.email)
    assert client.get(f"/staff/events/{started_event.id}/opinions").status_code == 200
    assert db.session.scalar(db.select(Questionnaire)) is None


def test_the_lookup_page_leads_to_the_questionnaire_then_to_the_feedback(app, en_client, organiser, started_event,
                                                                         open_questionnaire):
    registration = _registrations()[0]
    lookup = {"code": registration.code, "phone": registration.phone}
    page = en_client.post("/events/lookup", data=lookup).get_data(as_text=True)
    assert "Give my opinion" in page and _link(app, registration) in page
    en_client.post(_link(app, registration), data={f"question-{open_questionnaire.questions[0].id}": "5"})
    assert "your answers have been received" in en_client.post("/events/lookup", data=lookup).get_data(as_text=True)
    en_client.post(f"/staff/events/{started_event.id}/opinions/feedback", data={})
    page = en_client.post("/events/lookup", data=lookup).get_data(as_text=True)
    assert f"/events/{started_event.id}/feedback" in page


def test_event_page_links_the_feedback_once_published(en_client, started_event, open_questionnaire):
    assert "/feedback" not in en_client.get(f"/events/{started_event.id}").get_data(as_text=True)
    en_client.post(f"/staff/events/{started_event.id}/opinions/feedback", data={})
    page = en_client.get(f"/events/{started_event.id}").get_data(as_text=True)
    assert f"/events/{started_event.id}/feedback" in page


def test_introduction_is_shown_to_attendees(app, en_client, started_event, open_questionnaire):
    en_client.post(f"/staff/events/{started_event.id}/opinions/introduction",
                   data={"introduction": "意见将在两周内答复"})
    assert "意见将在两周内答复" in en_client.get(_link(app, _registrations()[0])).get_data(as_text=True)
