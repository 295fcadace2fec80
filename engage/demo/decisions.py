"""Demo decisions and the 2026 decision catalogue, loaded through the services like everything else.

Two consultations of the past end in published decisions: one interpreted with the decision (on time), one
whose interpretation is still missing weeks later (late). The catalogue lists five major decisions at different
stages, one of them postponed and one dropped, each with its reason.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app

from engage.accounts.models import Department, User
from engage.consultations import services as consultations
from engage.consultations.models import Consultation, ConsultationKind
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import china_date, from_china
from engage.decisions import catalogue, services
from engage.decisions.catalogue import EntryFields
from engage.decisions.models import ChangeKind
from engage.decisions.timing import PlannedTiming
from engage.feedback import services as feedback

CATALOGUE_YEAR = 2026

ELEVATOR_DRAFT = """临江市既有住宅加装电梯管理办法
第一条 为改善既有住宅居住条件，方便居民出行，规范既有住宅加装电梯工作，制定本办法。
第二条 本办法适用于本市行政区域内已建成投入使用、具备独立产权、未设电梯的四层以上住宅。
第三条 加装电梯应当经本单元专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，\
并经参与表决的业主双过四分之三同意。
第四条 加装电梯所需资金由业主按照楼层、面积等因素协商分摊，可以使用住宅专项维修资金。
第五条 本办法自2026年9月1日起施行。"""

RIDE_HAILING_DRAFT = """临江市网络预约出租汽车经营服务管理实施细则
第一条 为规范网络预约出租汽车经营服务，保障乘客合法权益，根据《网络预约出租汽车经营服务管理暂行办法》，制定本细则。
第二条 在本市从事网约车经营的平台公司，应当在本市设立分支机构，并取得经营许可。
第三条 网约车车辆应当为七座及以下乘用车，轴距不小于2650毫米，车辆使用年限不超过八年。
第四条 平台公司应当公布计价规则，不得以低于成本的价格开展不正当竞争。
第五条 本细则自2026年11月1日起施行。"""


@dataclass
class DemoDecision:
    department: str
    title: str
    kind: ConsultationKind
    draft_text: str
    opens_days_ago: int
    closes_days_ago: int
    decision_title: str
    document_number: str
    decided_days_ago: int
    #: False: the interpretation is still missing (and, weeks after the decision, late)
    interpreted_with_decision: bool
    explanation: str


DECISIONS = [
    DemoDecision("housing", "临江市既有住宅加装电梯管理办法（征求意见稿）", ConsultationKind.NORMATIVE_DOCUMENT,
                 ELEVATOR_DRAFT, 160, 125, "临江市既有住宅加装电梯管理办法", "临建发〔2026〕18号", 90, True,
                 "共收到意见四十六条，主要集中在表决比例和资金分摊，已据此修改第三条、第四条。"),
    DemoDecision("transport", "临江市网络预约出租汽车经营服务管理实施细则（征求意见稿）", ConsultationKind.DRAFT_RULE,
                 RIDE_HAILING_DRAFT, 110, 75, "临江市网络预约出租汽车经营服务管理实施细则", "临交规〔2026〕3号", 20,
                 False, "共收到意见二十三条，主要涉及车辆轴距和使用年限，部分采纳。"),
]


def _at(now: datetime, days_ago: int, hour: int) -> datetime:
    return from_china(datetime.combine(china_date(now) - timedelta(days=days_ago), time(hour, 0)))


def _decided_consultation(spec: DemoDecision, author: User, department: Department, now: datetime) -> Consultation:
    opens_at = _at(now, spec.opens_days_ago, 9)
    fields = consultations.DraftFields(
        title=spec.title, kind=spec.kind, summary=f"现就《{spec.decision_title}》公开征求意见。",
        draft_text=spec.draft_text, basis="《重大行政决策程序暂行条例》。", explanation="起草说明见附件。",
        contact_channels="网上意见：在本页面直接提交。", opens_at=opens_at,
        closes_at=_at(now, spec.closes_days_ago, 17),
    )
    consultation = consultations.create_draft(fields, department_id=department.id, actor=author,
                                              now=opens_at - timedelta(days=1))
    consultations.publish(consultation, actor=author, now=opens_at, config=current_app.config,
                          calendar=load_work_calendar())
    reported_at = _at(now, spec.closes_days_ago - 10, 10)
    feedback.save_explanation(consultation, spec.explanation, actor=author, now=reported_at)
    feedback.publish(consultation, actor=author, now=reported_at)
    return consultation


def _decide(consultation: Consultation, spec: DemoDecision, author: User, now: datetime) -> None:
    decided_at = _at(now, spec.decided_days_ago, 10)
    store = services.FileStore(current_app.config["UPLOAD_FOLDER"], current_app.config["MAX_UPLOAD_MB"] * 1024 ** 2)
    decision = services.link_decision(
        consultation, services.DecisionFields(spec.decision_title, spec.document_number, china_date(decided_at),
                                              f"https://www.linjiang.gov.cn/zfxxgk/{spec.department}-2026.html"),
        None, actor=author, now=decided_at, working_days=current_app.config["INTERPRETATION_WORKING_DAYS"],
        calendar=load_work_calendar(), store=store)
    if spec.interpreted_with_decision:
        services.record_interpretation(decision, services.InterpretationFields(
            china_date(decided_at), f"一图读懂《{spec.decision_title}》",
            f"https://www.linjiang.gov.cn/zcjd/{spec.department}-2026.html"), None, actor=author, now=decided_at,
            store=store)


def _catalogue(departments: dict[str, Department], staff: dict[str, User], linked: dict[str, Consultation],
               now: datetime) -> int:
    listed_at = _at(now, 300, 10)
    entries = [
        ("urban", "临江市生活垃圾分类管理办法", PlannedTiming(2026, quarter=4), "waste"),
        ("housing", "临江市既有住宅加装电梯管理办法", PlannedTiming(2026, quarter=2), "elevator"),
        ("transport", "临江市中心城区公交线网优化方案", PlannedTiming(2026, month=9), "bus"),
        ("market", "临江市小餐饮经营许可管理规定", PlannedTiming(2026, quarter=3), "catering"),
        ("education", "临江市学前教育发展规划（2026—2030年）", PlannedTiming(2026, quarter=4), None),
    ]
    made = {}
    for key, name, timing, consultation_key in entries:
        consultation = linked.get(consultation_key)
        made[key] = catalogue.add_entry(
            CATALOGUE_YEAR, departments[key].id, EntryFields(name, timing, consultation.id if consultation else None),
            "经市政府常务会议审议，列入临江市人民政府2026年度重大行政决策事项目录。", actor=staff[key], now=listed_at)
    catalogue.record_deliberation(made["housing"], meeting="临江市人民政府第8次常务会议",
                                  deliberated_on=china_date(_at(now, 95, 9)),
                                  outcome="原则通过，由市住房和城乡建设局修改完善后印发。",
                                  actor=staff["housing"], now=_at(now, 95, 18))
    catalogue.change_status(made["transport"], ChangeKind.POSTPONED,
                            "地铁二号线开通时间推迟，公交线网优化需与地铁运营同步评估，决策时间相应调整。",
                            planned=PlannedTiming(2027, quarter=1), actor=staff["transport"], now=_at(now, 40, 10))
    catalogue.change_status(made["education"], ChangeKind.DROPPED,
                            "省级学前教育发展规划尚未出台，本市规划将在省级规划印发后另行列入目录。",
                            actor=staff["education"], now=_at(now, 25, 10))
    return len(entries)


def load(departments: dict[str, Department], authors: dict[str, User], linked: dict[str, Consultation],
         now: datetime) -> int:
    """Add the decided consultations and the catalogue; returns the number of catalogue entries."""
    for spec in DECISIONS:
        consultation = _decided_consultation(spec, authors[spec.department], departments[spec.department], now)
        _decide(consultation, spec, authors[spec.department], now)
        if spec.department == "housing":
            linked["elevator"] = consultation
    return _catalogue(departments, authors, linked, now)
