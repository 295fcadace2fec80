"""Demo open-government events: a 2026年政府开放月 campaign with events in every state an organiser meets.

Loaded through the same services organisers and citizens use, each step at the moment it would have
happened (services take ``now``), so every rule is checked as it was then:

- a forum that is full, with a waitlist;
- a visit needing the organiser's approval and an ID number, some sign-ups still pending;
- an online broadcast and a meeting to observe, open for sign-up;
- a site visit held ten days ago: people checked in, the rest marked no-show, a questionnaire answered and
  its feedback page published.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from engage.accounts.models import Department, User
from engage.core.timeutil import china_date, from_china
from engage.events import organiser_services
from engage.events.models import EventKind, Registration
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions import services as opinion_services
from engage.events.registrations import services

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
               "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "雪梅")
#: resident ID numbers for the approval event: real check digits, invented people
ID_NUMBERS = ("11010519491231002X", "440524188001010014", "110101199003074477", "320311197001011230")


@dataclass
class DemoEvent:
    key: str
    department: str
    kind: EventKind
    title: str
    description: str
    venue: str = ""
    online_link: str = ""
    #: days from today (China time) and the hour it starts; the registration closes the day before
    in_days: int = 14
    at: time = time(9, 30)
    hours: int = 2
    capacity: int = 30
    max_party_size: int = 2
    requires_id_number: bool = False
    requires_approval: bool = False
    waitlist_enabled: bool = True
    #: (party size, ...) of the sign-ups made in the past few days, in order
    sign_ups: tuple[int, ...] = ()


EVENTS = [
    DemoEvent("forum", "housing", EventKind.FORUM, "老旧小区加装电梯政策座谈会",
              "邀请居民代表、物业和设计单位座谈，听取对加装电梯补贴政策的意见。", venue="临江市住建局四楼会议室",
              in_days=9, at=time(14, 30), capacity=12, max_party_size=2, sign_ups=(2, 1, 2, 1, 2, 1, 2, 1, 2, 1)),
    DemoEvent("approval", "urban", EventKind.INSTITUTION_VISIT, "走进城市运行管理指挥中心",
              "参观城市运行管理指挥中心大屏，了解井盖、路灯、积水点如何被实时发现和处置。因场所安保要求，需登记身份证号，"
              "报名经审核后确认。", venue="临江市城市管理局（滨江路88号）一楼大厅集合", in_days=12, capacity=20,
              max_party_size=1, requires_id_number=True, requires_approval=True, sign_ups=(1, 1, 1, 1)),
    DemoEvent("broadcast", "education", EventKind.ONLINE_BROADCAST, "云直播：2027年义务教育招生政策解读",
              "教育局负责人在线解读招生政策并回答家长提问。", online_link="https://live.example.gov.cn/linjiang/edu",
              in_days=16, at=time(19, 30), hours=1, capacity=500, max_party_size=1, waitlist_enabled=False,
              sign_ups=(1, 1, 1)),
    DemoEvent("meeting", "transport", EventKind.MEETING_OBSERVATION, "市民代表列席市交通运输局局务会议",
              "会议审议《临江市公交线网优化方案》，列席市民可在会后发表意见。", venue="临江市交通运输局三楼第一会议室",
              in_days=20, capacity=6, max_party_size=1, sign_ups=(1, 1)),
    DemoEvent("past", "market", EventKind.SERVICE_SITE_VISIT, "走进食品安全快检实验室",
              "参观快检实验室，现场观看蔬菜农药残留检测，与检测人员交流。", venue="临江市市场监管局检验检测中心",
              in_days=-10, capacity=16, max_party_size=3, sign_ups=(2, 1, 3, 1, 2, 1, 1, 2, 1)),
]

QUESTIONS = [
    opinion_rules.QuestionSpec("rating", "您对本次开放活动的总体评价", is_required=True),
    opinion_rules.QuestionSpec("single_choice", "您是从哪里得知本次活动的？",
                               ("政府网站", "微信公众号", "社区通知", "亲友介绍")),
    opinion_rules.QuestionSpec("free_text", "您对我们的工作有什么意见和建议？"),
]
OPINIONS = ["希望快检结果能在农贸市场公示屏上实时公布。", "建议农贸市场的快检结果也在网上公开，方便查询。",
            "讲解很专业，希望多组织这样的活动。", "实验室离公交站较远，建议提供接驳或更清楚的路线指引。"]
ANSWERS = [
    ((0, 1), "公开农贸市场快检结果", "partly_adopted",
     "全市12家农贸市场已在公示屏公布每日快检结果；网上查询将于明年一季度在“临江市场监管”公众号上线。"),
    ((2,), "", "adopted", ""),
    ((3,), "", "not_adopted", "检验检测中心不对外开放日常参观，暂不设接驳；已在活动通知中补充公交和步行路线。"),
]

FEEDBACK_SUMMARY = "感谢各位市民参加本次开放活动，您的意见我们逐条研究并答复如下。"


def _person(rng: random.Random, index: int) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES), f"1{rng.choice('3589')}{700_000_000 + index:09d}"


def _at(now: datetime, days: int, at: time) -> datetime:
    return from_china(datetime.combine(china_date(now) + timedelta(days=days), at))


def _values(spec: DemoEvent, campaign_id: int, department: Department, now: datetime) -> dict:
    starts = _at(now, spec.in_days, spec.at)
    return {
        "title": spec.title, "campaign_id": campaign_id, "department_id": department.id, "kind": spec.kind,
        "description": spec.description, "venue": spec.venue, "online_link": spec.online_link, "starts_at": starts,
        "ends_at": starts + timedelta(hours=spec.hours), "registration_opens_at": starts - timedelta(days=21),
        "registration_closes_at": starts - timedelta(days=1), "capacity": spec.capacity,
        "max_party_size": spec.max_party_size, "requires_id_number": spec.requires_id_number,
        "requires_approval": spec.requires_approval, "waitlist_enabled": spec.waitlist_enabled,
    }


def load(organiser: User, departments: dict[str, Department], *, now: datetime) -> int:
    """Add the campaign and its events; returns the number of events. Only flushes."""
    rng = random.Random(2026)
    start = now - timedelta(days=40)
    campaign = organiser_services.save_campaign(None, {
        "title": "2026年政府开放月",
        "description": "走进政府机关和公共服务场所，参加座谈、列席会议、观看直播，面对面提出您的意见建议。",
    }, actor=organiser, now=start)
    organiser_services.publish_campaign(campaign, actor=organiser, now=start)
    people = iter(range(10_000))
    for spec in EVENTS:
        values = _values(spec, campaign.id, departments[spec.department], now)
        created = values["registration_opens_at"] - timedelta(days=2)
        event = organiser_services.create_event(values, actor=organiser, now=created)
        organiser_services.publish_event(event, actor=organiser, now=created + timedelta(hours=1))
        registrations = _sign_up(event, spec, rng, people, min(now, values["registration_closes_at"]))
        if spec.key == "approval":
            services.approve(registrations[0], actor=organiser, now=now - timedelta(hours=3))
        if spec.key == "past":
            _hold(event, registrations, organiser, rng)
    return len(EVENTS)


def _sign_up(event, spec: DemoEvent, rng: random.Random, people, until: datetime) -> list[Registration]:
    opened = event.registration_opens_at
    moments = sorted(opened + (until - opened) * rng.uniform(0.05, 0.95) for _ in spec.sign_ups)
    made = []
    for size, moment in zip(spec.sign_ups, moments, strict=True):
        index = next(people)
        name, phone = _person(rng, index)
        id_number = ID_NUMBERS[index % len(ID_NUMBERS)] if spec.requires_id_number else ""
        registration, _token = services.register(event.id, services.SignUpInput(name, phone, size, id_number),
                                                 now=moment)
        made.append(registration)
    return made


def _hold(event, registrations: list[Registration], organiser: User, rng: random.Random) -> None:
    """The past event: most came, the rest were marked no-show; they answered the questionnaire."""
    door = event.starts_at - timedelta(minutes=20)
    attended = [r for index, r in enumerate(registrations) if index % 4 != 3]
    for minute, registration in enumerate(attended):
        services.check_in(event, registration.code, actor=organiser, now=door + timedelta(minutes=minute))
    services.mark_no_shows(event, actor=organiser, now=event.ends_at)
    questionnaire = opinion_services.ensure_questionnaire(event, actor=organiser, now=event.starts_at)
    for spec in QUESTIONS:
        opinion_services.add_question(questionnaire, event, spec, actor=organiser, now=event.starts_at)
    opinion_services.set_open(questionnaire, event, True, actor=organiser, now=event.starts_at)
    rating, choice, text = questionnaire.questions
    for index, registration in enumerate(attended):
        values = {rating.id: rng.choice((5, 5, 4, 4, 3)), choice.id: rng.choice(choice.choices),
                  text.id: OPINIONS[index] if index < len(OPINIONS) else ""}
        opinion_services.submit_response(registration, values, now=event.ends_at + timedelta(minutes=5 + index))
    items = opinion_services.opinions(questionnaire)
    answered_at = event.ends_at + timedelta(days=3)
    for indexes, summary, outcome, reason in ANSWERS:
        opinion_services.answer_opinions(questionnaire, event, [items[i].id for i in indexes], summary, outcome,
                                         reason, actor=organiser, now=answered_at)
    opinion_services.publish_feedback(questionnaire, event, FEEDBACK_SUMMARY, actor=organiser,
                                      now=answered_at + timedelta(hours=1))
