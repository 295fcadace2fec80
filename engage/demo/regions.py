"""Demo regions: 临江市 with two districts and their streets, departments and accounts at every level, a
consultation and a session of deputies' suggestions in a district, so the city's supervisor and administrator
look over a district they cannot act in.

Loaded through the region, account, consultation and proposal services, like the rest of the demo.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app

from engage.accounts import services as accounts
from engage.accounts.models import Department, Role, User
from engage.consultations import services as consultations
from engage.consultations.models import ConsultationKind
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import china_date, from_china
from engage.demo import data
from engage.proposals import services as proposals
from engage.proposals.handling import services as handling
from engage.proposals.handling.services import ReplyFields
from engage.proposals.services import CaseFields, ProposerFields
from engage.regions import services as regions
from engage.regions.models import Region

#: slug, Chinese name, English name, level, parent slug (None: the root)
TREE = [
    ("linjiang", "临江市", "Linjiang", "city", None),
    ("jiangbei", "江北区", "Jiangbei District", "district", "linjiang"),
    ("jiangnan", "江南区", "Jiangnan District", "district", "linjiang"),
    ("binjiang", "滨江街道", "Binjiang Subdistrict", "street", "jiangbei"),
    ("beitang", "北塘街道", "Beitang Subdistrict", "street", "jiangbei"),
    ("nanhu", "南湖街道", "Nanhu Subdistrict", "street", "jiangnan"),
    ("taoyuan", "桃源镇", "Taoyuan Town", "street", "jiangnan"),
]

#: key, Chinese name, English name, region slug
DEPARTMENTS = [
    ("jiangbei_housing", "江北区住房和城乡建设局", "Jiangbei Housing and Construction Bureau", "jiangbei"),
    ("jiangbei_education", "江北区教育局", "Jiangbei Education Bureau", "jiangbei"),
    ("jiangnan_urban", "江南区城市管理局", "Jiangnan Urban Management Bureau", "jiangnan"),
    ("binjiang_office", "滨江街道办事处", "Binjiang Subdistrict Office", "binjiang"),
    ("nanhu_office", "南湖街道办事处", "Nanhu Subdistrict Office", "nanhu"),
    ("taoyuan_government", "桃源镇人民政府", "Taoyuan Town Government", "taoyuan"),
]

#: e-mail, name, role, region slug (administrators and supervisors) or department key (staff)
ACCOUNTS = [
    ("city-admin@demo.gov.cn", "郑华", Role.ADMIN, "linjiang"),
    ("jiangbei-admin@demo.gov.cn", "何平", Role.ADMIN, "jiangbei"),
    ("jiangnan-admin@demo.gov.cn", "高洁", Role.ADMIN, "jiangnan"),
    ("jiangbei-supervisor@demo.gov.cn", "马超", Role.SUPERVISOR, "jiangbei"),
    ("jiangnan-supervisor@demo.gov.cn", "罗敏", Role.SUPERVISOR, "jiangnan"),
    ("jiangbei@demo.gov.cn", "胡军", Role.DEPARTMENT_STAFF, "jiangbei_housing"),
    ("jiangbei-education@demo.gov.cn", "林芳", Role.DEPARTMENT_STAFF, "jiangbei_education"),
    ("jiangnan@demo.gov.cn", "梁宇", Role.DEPARTMENT_STAFF, "jiangnan_urban"),
    ("binjiang@demo.gov.cn", "宋佳", Role.DEPARTMENT_STAFF, "binjiang_office"),
    ("nanhu@demo.gov.cn", "唐亮", Role.DEPARTMENT_STAFF, "nanhu_office"),
]

#: the demo's existing supervising office works for the city's level (its sessions are the city's)
CITY_SUPERVISOR = "supervisor@demo.gov.cn"

DISTRICT_SESSION = "江北区第五届人民代表大会第三次会议"


@dataclass
class DistrictCase:
    number: str
    title: str
    lead: str
    co: tuple = ()
    assigned_days_ago: int | None = None
    replied_after: int | None = None


DISTRICT_CASES = [
    DistrictCase("0001", "关于滨江街道老旧小区加装电梯的建议", "jiangbei_housing", ("binjiang_office",), 100, 40),
    DistrictCase("0002", "关于增加北塘片区学位供给的建议", "jiangbei_education", (), 120),  # overdue: the city sees it
    DistrictCase("0003", "关于改善滨江路夜间照明的建议", "binjiang_office", (), 20),
]


def load_tree(admin: User, now: datetime) -> dict[str, Region]:
    """The regions, the root taking the migration's root region when there is one (it held the data before)."""
    made: dict[str, Region] = {}
    for slug, name, name_en, level, parent in TREE:
        existing = regions.root_for_new_records() if parent is None else None
        if existing is not None:
            made[slug] = regions.update_region(existing, name=name, name_en=name_en, slug=slug, level=level,
                                               actor=admin, now=now)
            continue
        made[slug] = regions.create_region(name=name, name_en=name_en, slug=slug, level=level,
                                           parent=made.get(parent), actor=admin, now=now)
    return made


def load(admin: User, tree: dict[str, Region], staff: dict[str, User], now: datetime) -> tuple[int, int]:
    """Departments and accounts below the city, a district consultation and session; (departments, accounts)."""
    departments = {}
    for key, name, name_en, slug in DEPARTMENTS:
        department = accounts.save_department(None, name=name, name_en=name_en, is_active=True, actor=admin, now=now)
        regions.place_department(department, tree[slug], actor=admin, now=now)
        departments[key] = department
    people = {}
    for email, name, role, place in ACCOUNTS:
        department = departments.get(place)
        people[email] = accounts.create_user(email=email, name=name, password=data.DEMO_PASSWORD, role=role,
                                             department_id=department.id if department else None, actor=admin,
                                             now=now)
        if department is None:
            regions.scope_user(people[email], tree[place], actor=admin, now=now)
    regions.scope_user(staff[CITY_SUPERVISOR], tree["linjiang"], actor=admin, now=now)
    _district_consultation(departments["jiangbei_housing"], people["jiangbei@demo.gov.cn"], now)
    by_department = {departments[key].id: people[email] for email, _n, role, key in ACCOUNTS
                     if role == Role.DEPARTMENT_STAFF}
    _district_session(people["jiangbei-supervisor@demo.gov.cn"], departments, by_department, now)
    return len(departments), len(people)


def _at(now: datetime, days_ago: int, hour: int = 10) -> datetime:
    return min(now, from_china(datetime.combine(china_date(now) - timedelta(days=days_ago), time(hour, 0))))


def _district_consultation(department: Department, author: User, now: datetime) -> None:
    opens_at = now - timedelta(days=5)
    fields = consultations.DraftFields(
        title="江北区老旧小区改造三年行动方案（征求意见稿）", kind=ConsultationKind.MAJOR_DECISION,
        summary="江北区住房和城乡建设局起草了老旧小区改造三年行动方案，现向社会公开征求意见。",
        draft_text="江北区老旧小区改造三年行动方案（征求意见稿）\n第一条 为改善老旧小区居住条件，制定本方案。\n"
                   "第二条 本方案适用于本区2000年以前建成的住宅小区。\n第三条 改造内容包括基础类、完善类和提升类。",
        basis="《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》。",
        explanation="本方案经区政府常务会议研究，拟于年内印发实施。",
        contact_channels="网上意见：在本页面直接提交。\n电话：0571-87100001（工作日）",
        opens_at=opens_at, closes_at=from_china(datetime.combine(china_date(now) + timedelta(days=30), time(17, 30))),
    )
    draft = consultations.create_draft(fields, department_id=department.id, actor=author,
                                       now=opens_at - timedelta(days=1))
    consultations.publish(draft, actor=author, now=opens_at, config=current_app.config,
                          calendar=load_work_calendar())


def _district_session(supervisor: User, departments: dict[str, Department], staff: dict[int, User],
                      now: datetime) -> None:
    """The district's own 人大 session, registered and assigned by the district's office (not the city's)."""
    config = current_app.config
    for index, spec in enumerate(DISTRICT_CASES, start=1):
        fields = CaseFields(kind="suggestion", session_name=DISTRICT_SESSION, number=spec.number, title=spec.title,
                            body=f"{spec.title}。", category="城乡建设",
                            proposers=[ProposerFields(name=f"江北代表{index}", affiliation="江北区代表团",
                                                      phone=f"1390001{index:04d}")])
        case = proposals.register_case(fields, actor=supervisor, now=_at(now, (spec.assigned_days_ago or 5) + 3))
        if spec.assigned_days_ago is None:
            continue
        assigned = _at(now, spec.assigned_days_ago)
        proposals.assign(case, [departments[spec.lead].id], [departments[key].id for key in spec.co],
                         assigned_on=china_date(assigned), actor=supervisor, now=assigned, config=config)
        if spec.replied_after is not None:
            replied = _at(now, spec.assigned_days_ago - spec.replied_after, 11)
            reply = ReplyFields(body="经研究，已列入明年改造计划，预计年底前完工。", replied_on=china_date(replied),
                                outcome="B", is_published=True, unpublished_reason="")
            handling.record_reply(case, reply, actor=staff[departments[spec.lead].id], now=replied, config=config)
