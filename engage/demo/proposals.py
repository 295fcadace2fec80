"""Demo cases: a session of deputies' suggestions and one of members' proposals, in every state of handling.

Each case is registered, assigned, handled, replied to and rated through the same services the supervising
office and the units use, each step "back then" (the services take ``now``), so every rule is checked as it
was: due dates, late and on-time replies, overdue cases, a rating that reopens a case.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app

from engage.accounts.models import Department, User
from engage.core.timeutil import china_date, from_china
from engage.extensions import db
from engage.proposals import services
from engage.proposals.handling import services as handling_services
from engage.proposals.handling.services import ReplyFields
from engage.proposals.publication import services as publication
from engage.proposals.services import CaseFields, ProposerFields

SUGGESTIONS = "临江市第十八届人民代表大会第三次会议"
PROPOSALS = "政协临江市第十五届委员会第三次会议"


@dataclass(frozen=True)
class DemoCase:
    kind: str
    number: str
    title: str
    body: str
    category: str
    #: (name, delegation or sector); the first is the lead proposer
    proposers: tuple[tuple[str, str], ...]
    lead: str
    co: tuple[str, ...] = ()
    #: days before today it was assigned; None leaves it registered
    assigned_days_ago: int | None = None
    #: days after assignment the unit started handling; None: not started
    started_after: int | None = None
    #: days after assignment the reply came; None: no reply yet
    replied_after: int | None = None
    outcome: str = "A"
    unpublished_reason: str = ""
    #: one rating per proposer, given this many days after the reply
    ratings: tuple[str, ...] = ()
    rated_after: int = 12


def _case(kind, number, title, category, proposers, lead, co=(), **handling) -> DemoCase:
    body = f"{title.removeprefix('关于').removesuffix('的建议').removesuffix('的提案')}，事关群众切身利益。" \
           "建议相关部门深入调研，明确责任分工和完成时限，并及时向社会公开进展。"
    return DemoCase(kind, number, title, body, category, proposers, lead, co, **handling)


S, P = "suggestion", "proposal"
CASES = [
    _case(S, "0001", "关于加快老旧小区加装电梯的建议", "城乡建设", (("张明", "滨江代表团"), ("李华", "滨江代表团")),
          "housing", ("urban",), assigned_days_ago=150, started_after=10, replied_after=70, outcome="A",
          ratings=("satisfied", "basically_satisfied")),
    _case(S, "0002", "关于优化城区公交线网的建议", "交通出行", (("王芳", "城东代表团"),), "transport",
          assigned_days_ago=150, started_after=20, replied_after=120, outcome="B", ratings=("basically_satisfied",)),
    _case(S, "0003", "关于规范共享单车停放管理的建议", "城市管理", (("赵刚", "城西代表团"), ("钱进", "城西代表团")),
          "urban", ("transport",), assigned_days_ago=140, started_after=15, replied_after=60, outcome="C",
          ratings=("unsatisfied",), rated_after=65),  # reopened 15 days ago: re-handling, due within the month
    _case(S, "0004", "关于加强校园周边食品安全监管的建议", "市场监管", (("孙丽", "高新区代表团"),), "market",
          ("education",), assigned_days_ago=130, started_after=7, replied_after=80, outcome="A"),
    _case(S, "0005", "关于增加中小学课后服务供给的建议", "教育", (("周伟", "城东代表团"),), "education",
          assigned_days_ago=115, started_after=30),
    _case(S, "0006", "关于推进生活垃圾分类示范小区建设的建议", "城市管理", (("吴敏", "滨江代表团"),), "urban",
          ("housing",), assigned_days_ago=100),
    _case(S, "0007", "关于完善农贸市场价格公示的建议", "市场监管", (("郑洁", "城西代表团"),), "market",
          assigned_days_ago=80, started_after=12),
    _case(S, "0008", "关于改造城区积水点的建议", "城乡建设", (("冯涛", "高新区代表团"),), "housing", ("urban",),
          assigned_days_ago=60, started_after=5, replied_after=40, outcome="B",
          unpublished_reason="答复涉及尚未批复的城市排水专项规划内容。"),
    _case(S, "0009", "关于增设学校周边交通安全设施的建议", "交通出行", (("陈静", "城东代表团"),), "transport",
          ("education",), assigned_days_ago=20),
    _case(S, "0010", "关于加强电动自行车充电安全管理的建议", "城市管理", (("褚亮", "滨江代表团"),), "urban"),
    _case(P, "001", "关于推进智慧停车平台建设的提案", "交通出行", (("卫东", "民盟界"), ("蒋欣", "民盟界")),
          "transport", ("urban",), assigned_days_ago=145, started_after=10, replied_after=75, outcome="A",
          ratings=("satisfied", "satisfied")),
    _case(P, "002", "关于扩大普惠性幼儿园供给的提案", "教育", (("沈红", "教育界"),), "education",
          assigned_days_ago=145, started_after=25, replied_after=110, outcome="B", ratings=("satisfied",)),
    _case(P, "003", "关于加强预付式消费监管的提案", "市场监管", (("韩冰", "经济界"),), "market",
          assigned_days_ago=120, started_after=9, replied_after=85, outcome="B"),
    _case(P, "004", "关于老旧管网更新改造的提案", "城乡建设", (("杨帆", "农工党界"),), "housing", ("urban",),
          assigned_days_ago=105, started_after=14),
    _case(P, "005", "关于提升城市绿道品质的提案", "城市管理", (("朱琳", "九三学社界"),), "urban",
          assigned_days_ago=45, started_after=6),
    _case(P, "006", "关于发展社区托育服务的提案", "教育", (("秦岭", "妇联界"),), "education", ("market",)),
]

OPINION = "经研究，我单位同意主办单位意见，并将配合做好相关工作。"
PROGRESS = "已召开专题会议研究办理工作，明确了责任科室和办理时限。"
REPLY = ("感谢您提出的宝贵建议。经认真研究，现答复如下：\n一、我局高度重视，已组织开展专题调研。\n"
         "二、相关工作已纳入年度工作计划，将分步实施。\n三、我们将定期向您通报办理进展，欢迎继续监督。")
UNSATISFIED_COMMENT = "答复未提出具体措施和时间表，问题仍未解决。"
FIGURES_SUMMARY = ("本次会议期间交办的建议、提案已全部落实承办单位，多数已按期答复；"
                   "逾期未答复的已发出催办通知，重新办理的正在抓紧落实。")


def load(*, supervisor: User, departments: dict[str, Department], staff: dict[str, User], now: datetime) -> int:
    """Register and handle every demo case; returns how many. Only flushes."""
    for spec in CASES:
        _handle(spec, supervisor, departments, staff, now)
    db.session.flush()
    for session in services.sessions():
        # The office states where the handling stands (办理情况公开): the public figures page shows it, dated.
        publication.publish_figures(session, FIGURES_SUMMARY, actor=supervisor, now=now)
    return len(CASES)


def _at(now: datetime, days_ago: int, hour: int = 10) -> datetime:
    """``hour`` o'clock China time, ``days_ago`` days before the day of ``now`` (never after ``now``)."""
    return min(now, from_china(datetime.combine(china_date(now) - timedelta(days=days_ago), time(hour, 0))))


def _register(spec: DemoCase, supervisor: User, moment: datetime):
    people = [ProposerFields(name=name, affiliation=affiliation, phone=f"1390000{index:04d}",
                             email=f"proposer{index}@example.cn", address=f"临江市人民路{index}号")
              for index, (name, affiliation) in enumerate(spec.proposers, start=1)]
    session = SUGGESTIONS if spec.kind == "suggestion" else PROPOSALS
    fields = CaseFields(kind=spec.kind, session_name=session, number=spec.number, title=spec.title, body=spec.body,
                        category=spec.category, proposers=people)
    return services.register_case(fields, actor=supervisor, now=moment)


def _handle(spec: DemoCase, supervisor: User, departments, staff, now: datetime) -> None:
    config = current_app.config
    days = spec.assigned_days_ago
    case = _register(spec, supervisor, _at(now, (days or 5) + 3, 9))
    if days is None:
        return
    assigned_at = _at(now, days)
    services.assign(case, [departments[spec.lead].id], [departments[key].id for key in spec.co],
                    assigned_on=china_date(assigned_at), actor=supervisor, now=assigned_at, config=config)
    lead_staff = staff[spec.lead]
    for key in spec.co:
        handling_services.submit_opinion(case, OPINION, actor=staff[key], now=_at(now, days - 3, 15))
    if spec.started_after is not None:
        started = _at(now, days - spec.started_after, 16)
        handling_services.add_note(case, "progress", PROGRESS, happened_on=china_date(started), actor=lead_staff,
                                   now=started)
    if spec.replied_after is None:
        return
    replied = _at(now, days - spec.replied_after, 11)
    _reply(case, spec, lead_staff, replied, REPLY)
    rated = _at(now, days - spec.replied_after - spec.rated_after, 14)
    for proposer, satisfaction in zip(case.proposers, spec.ratings, strict=False):
        comments = UNSATISFIED_COMMENT if satisfaction == "unsatisfied" else ""
        handling_services.rate(proposer, satisfaction, comments, actor=supervisor, now=rated, config=config)


def _reply(case, spec: DemoCase, actor: User, moment: datetime, body: str) -> None:
    fields = ReplyFields(body=body, replied_on=china_date(moment), outcome=spec.outcome,
                         is_published=not spec.unpublished_reason, unpublished_reason=spec.unpublished_reason)
    handling_services.record_reply(case, fields, actor=actor, now=moment, config=current_app.config)
