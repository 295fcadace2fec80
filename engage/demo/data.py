"""The demo content: departments, accounts and consultations of a fictional city (临江市), written by us.

Periods are given in days relative to the moment the demo is loaded, so the demo always has something open,
something scheduled and something closed.
"""

from dataclasses import dataclass, field
from importlib import resources

from engage.accounts.models import Role
from engage.consultations.models import ConsultationKind, ModerationMode


def _draft(name: str) -> str:
    """A draft's text, kept in drafts/ as staff would paste it (one article per line, long lines and all)."""
    return resources.files("engage.demo").joinpath(f"drafts/{name}.txt").read_text(encoding="utf-8").strip()


#: the one password of every demo account (README lists the accounts)
DEMO_PASSWORD = "engage-demo-2026"

#: key, Chinese name, English name
DEPARTMENTS = [
    ("urban", "临江市城市管理局", "Linjiang Urban Management Bureau"),
    ("housing", "临江市住房和城乡建设局", "Linjiang Housing and Urban-Rural Development Bureau"),
    ("transport", "临江市交通运输局", "Linjiang Transport Bureau"),
    ("market", "临江市市场监督管理局", "Linjiang Administration for Market Regulation"),
    ("education", "临江市教育局", "Linjiang Education Bureau"),
]

#: e-mail, name, role, department key
ACCOUNTS = [
    ("admin@demo.gov.cn", "周敏", Role.ADMIN, None),
    ("urban@demo.gov.cn", "王磊", Role.DEPARTMENT_STAFF, "urban"),
    ("housing@demo.gov.cn", "李娜", Role.DEPARTMENT_STAFF, "housing"),
    ("transport@demo.gov.cn", "陈刚", Role.DEPARTMENT_STAFF, "transport"),
    ("market@demo.gov.cn", "刘洋", Role.DEPARTMENT_STAFF, "market"),
    ("education@demo.gov.cn", "赵静", Role.DEPARTMENT_STAFF, "education"),
    ("organiser@demo.gov.cn", "孙悦", Role.ORGANISER, None),
    ("supervisor@demo.gov.cn", "吴强", Role.SUPERVISOR, None),
]


@dataclass
class CommentPlan:
    """How many comments a demo consultation receives, and the pieces their text is made of."""

    count: int
    #: article number -> remarks on that article; comments on the whole draft use ``general``
    on_articles: dict[int, list[str]]
    general: list[str]
    #: share of comments that concern one article rather than the whole draft
    article_share: float = 0.75
    #: comments that staff reject afterwards, with the reason shown to their authors
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: in a consultation moderated before publication: how many stay waiting for review
    left_pending: int = 0


@dataclass
class DemoConsultation:
    key: str
    department: str
    title: str
    kind: ConsultationKind
    summary: str
    draft_text: str
    basis: str
    explanation: str
    contact_channels: str
    #: days from the loading moment; negative is in the past
    opens_in_days: int
    closes_in_days: int
    moderation: ModerationMode = ModerationMode.IMMEDIATE
    short_period_reason: str = ""
    comments: CommentPlan | None = None


# ---- pieces of citizens' comments -----------------------------------------------------------------------

OPENERS = [
    "", "", "", "我是本市居民，", "作为一名社区志愿者，", "本人在物业公司工作多年，", "我家住在老旧小区，",
    "作为上班族，", "我是退休教师，", "认真看了征求意见稿，", "支持出台这个办法。", "结合我们街道的实际情况，",
    "作为一名基层网格员，", "我们楼里老人比较多，", "从事餐饮行业十几年，",
]

EXTRAS = [
    "", "", "我们小区目前就存在这个问题。", "周边几个小区的居民也有同样的想法。", "可以参考杭州、上海等城市的做法。",
    "否则执行起来会很困难。", "希望相关部门认真研究。", "这一点关系到每家每户，请慎重考虑。",
    "条文写得比较原则，实际操作中容易产生争议。",
]

CLOSINGS = ["", "", "谢谢！", "以上意见供参考。", "望采纳。", "辛苦了！", "期待正式稿早日出台。"]

DISPLAY_NAMES = [
    "张先生", "李女士", "王老师", "市民小陈", "退休职工老刘", "赵阿姨", "一名快递员", "孙同学", "周女士",
    "吴先生", "郑医生", "社区志愿者", "林女士", "何先生", "高老师", "临江老居民",
]

GENERIC_REJECTIONS = [
    ("专业疏通下水道、开锁换锁，价格实惠，电话一三九零零零零一二三四。", "含有广告信息，不予公开。"),
    ("楼下那家饭店天天占道经营，老板叫某某，电话是……请你们去查一查！",
     "含有他人个人信息，且与本次征求意见内容无关，请通过12345热线反映。"),
    ("顶顶顶！！！", "内容与征求意见稿无关。"),
    ("同意。同意。同意。同意。同意。", "重复内容，已保留您的其他意见。"),
]


# ---- 1. open, chapters and sixteen articles, several hundred comments ------------------------------------

WASTE_DRAFT = _draft("waste")

WASTE_COMMENTS = CommentPlan(
    count=360,
    on_articles={
        3: ["建议明确分类投放管理责任人的具体范围，特别是没有物业的开放式小区由谁负责。",
            "“因地制宜”表述过于笼统，农村地区和城区的要求应当分开规定。"],
        4: ["建议写明街道和社区居委会之间的职责分工，避免出现问题时互相推诿。",
            "主管部门的监督职责应当更具体，比如多长时间检查一次。"],
        5: ["四分类的名称建议与国家标准保持一致，并配发图文对照的分类指南。",
            "建议把“有害垃圾”举例写进条文，比如废电池、过期药品、废荧光灯管，老人一看就懂。",
            "快递包装纸箱属于可回收物，但带胶带的怎么处理？希望在指南里讲清楚。"],
        6: ["建议增加对高空抛物、夜间偷倒垃圾的处理规定。",
            "投放容器的颜色和标识要统一，不同小区的桶颜色不一样，容易投错。"],
        7: ["每日四小时的投放时间对上班族不太友好，建议早上七点前、晚上九点后也能投放。",
            "定时定点投放后，非投放时间应当设置误时投放点，否则垃圾会被扔在桶站旁边。",
            "投放时间由物业征求业主意见确定，建议写明征求意见的方式，比如业主大会或书面征询。",
            "老年人和行动不便的居民建议提供上门收集服务。",
            "定时定点的桶站应当有洗手池和照明，晚上投放太黑了。"],
        8: ["装修垃圾的预约收运费用应当公开透明，建议规定收费标准。",
            "大件垃圾预约电话经常打不通，建议开通线上预约。"],
        9: ["收集容器应当定期清洗消毒，夏天异味很大。",
            "建议规定桶站距离住宅楼的最小距离，不要设在单元门口。"],
        10: ["经常看到分好类的垃圾被一辆车混装运走，打击居民积极性，这一条一定要严格执行。",
             "建议运输车辆安装定位和监控，市民可以查询收运情况。",
             "混合收运的处罚力度要加大，并向社会公开处罚结果。"],
        11: ["厨余垃圾处理厂的位置和处理能力应当向社会公开。",
             "建议支持社区就地堆肥，处理后的有机肥可以用于小区绿化。"],
        12: ["限制过度包装应当从生产和销售环节抓起，而不是只要求居民分类。",
             "外卖平台默认提供餐具的问题很突出，建议明确外卖平台的责任。",
             "酒店不主动提供一次性用品，应当在前台明显位置告知可以索取。"],
        13: ["积分兑换的商品太少，建议与超市、公交卡充值等打通。",
             "激励措施建议市级统一标准，不要各区各搞一套。"],
        14: ["举报奖励的标准应当写明，举报人的信息必须保密。",
             "建议公布各区、各街道的分类达标率，接受群众监督。"],
        15: ["对个人罚款前应当先宣传教育，首次违规建议只警告。",
             "罚款额度偏低，对单位的约束力不够。",
             "执法人员如何认定是哪一户投错了？取证方式需要明确，避免侵犯隐私。"],
        16: ["施行时间建议给半年过渡期，让小区有时间改造桶站。"],
    },
    general=[
        "总体支持。建议配套出台分类指南和宣传材料，多用图片，方便老年人理解。",
        "希望办法出台后加强宣传，在每个小区开展入户指导。",
        "建议在学校开展垃圾分类教育，小手拉大手效果很好。",
        "条文中很多“应当”没有对应的法律责任，建议补充。",
        "建议明确物业服务企业不履行分类管理责任时业主可以向哪个部门投诉。",
        "农村地区的生活垃圾分类条件不同，建议单独作出规定。",
    ],
    rejected=GENERIC_REJECTIONS,
)

# ---- 2. open, comments published after review, some still waiting ----------------------------------------

EBIKE_DRAFT = _draft("ebike")

EBIKE_COMMENTS = CommentPlan(
    count=24,
    on_articles={
        3: ["禁止进电梯我完全赞同，但住在高层的外卖骑手电池怎么充电？建议小区设置换电柜。",
            "楼道充电确实危险，去年我们隔壁单元就着过火，支持严管。"],
        4: ["老旧小区没有空地建车棚，建议利用小区周边的边角地。",
            "补建充电设施的费用由谁承担，建议写清楚。"],
        5: ["充电收费建议每度电不超过一元，现在有的充电桩收费太高。",
            "充电桩要有遮雨棚，下雨天充电也不安全。"],
        6: ["物业只能劝阻，没有执法权，建议明确消防部门的处理方式。"],
    },
    general=["建议给居民一个整改过渡期，先把充电桩建起来再严格执法。",
             "希望这个办法能尽快出台，楼道里停满了电动车，老人上下楼很不方便。"],
    rejected=GENERIC_REJECTIONS[:1],
    left_pending=8,
)

# ---- 3. open, shorter than the minimum period with a published reason ------------------------------------

AFTER_SCHOOL_DRAFT = _draft("after_school")

AFTER_SCHOOL_COMMENTS = CommentPlan(
    count=18,
    on_articles={
        1: ["建议课后服务结束时间延长到晚上六点，很多家长六点才下班。"],
        2: ["自愿参加很好，但要防止老师暗示不参加的学生。"],
        3: ["不讲新课这一条很好，孩子可以在学校把作业写完。"],
        4: ["收费标准建议全市统一，并对困难家庭减免。"],
        5: ["引进校外机构要严格审核资质，防止变相搞学科培训。"],
    },
    general=["征求意见时间太短了，建议延长。", "支持开展课后服务，解决了双职工家庭接孩子难的问题。"],
)

# ---- 4. scheduled: not yet open ---------------------------------------------------------------------------

BUS_DRAFT = _draft("bus")

# ---- 5. closed: the period is over ------------------------------------------------------------------------

CATERING_DRAFT = _draft("catering")

CATERING_COMMENTS = CommentPlan(
    count=45,
    on_articles={
        3: ["告知承诺制大大方便了小店开业，点赞。", "承诺制要配套信用惩戒，防止虚假承诺。"],
        4: ["十平方米的要求对早餐店来说有点高，建议降到八平方米。",
            "油烟净化设施的标准要明确，很多小店装了也不开。"],
        5: ["健康证办理建议开通线上预约，减少排队时间。"],
        6: ["三个月内核查，建议改为一个月，防止无证照经营时间过长。"],
        7: ["明厨亮灶建议给予补贴，小店负担不起摄像设备。"],
    },
    general=["建议出台小餐饮负面清单，明确哪些品种不能经营。",
             "希望监管部门多指导少罚款，小餐饮是很多家庭的生计。"],
    rejected=GENERIC_REJECTIONS[1:3],
)

CONSULTATIONS = [
    DemoConsultation(
        key="waste", department="urban", title="临江市生活垃圾分类管理办法（征求意见稿）",
        kind=ConsultationKind.DRAFT_RULE,
        summary="为推进生活垃圾分类，提高减量化、资源化、无害化水平，市城市管理局起草了《临江市生活垃圾分类管理办法"
                "（征求意见稿）》，现向社会公开征求意见。",
        draft_text=WASTE_DRAFT,
        basis="《中华人民共和国固体废物污染环境防治法》第四十九条；《城市市容和环境卫生管理条例》；"
              "《临江市人民政府2026年度规章制定计划》。",
        explanation="一、起草背景\n本市自2020年开展生活垃圾分类试点，目前试点小区覆盖率为百分之六十，但存在混装混运、"
                    "投放时间不合理等问题，需要以政府规章形式加以规范。\n二、起草过程\n起草过程中，市城市管理局赴"
                    "六个区开展调研，召开居民、物业企业、收运企业座谈会十二场。\n三、主要内容\n办法共五章十六条，"
                    "重点规定了分类标准、定时定点投放、分类收运和法律责任。",
        contact_channels="网上意见：在本页面直接提交。\n电子邮箱：ljcg_fl@demo.gov.cn\n"
                         "信函：临江市滨江路88号市城市管理局法规处（邮编：310000），请在信封上注明“垃圾分类意见”。\n"
                         "电话：0571-87000001（工作日 9:00—17:00）",
        opens_in_days=-12, closes_in_days=25, comments=WASTE_COMMENTS,
    ),
    DemoConsultation(
        key="ebike", department="housing", title="临江市住宅小区电动自行车停放充电管理办法（征求意见稿）",
        kind=ConsultationKind.NORMATIVE_DOCUMENT,
        summary="为预防电动自行车火灾事故，市住房和城乡建设局起草了住宅小区电动自行车停放充电管理办法，现公开征求意见。"
                "意见经审核后公开。",
        draft_text=EBIKE_DRAFT,
        basis="《中华人民共和国消防法》；《高层民用建筑消防安全管理规定》（应急管理部令第5号）。",
        explanation="近三年本市发生电动自行车火灾四十余起，多数发生在楼道和住户家中充电时。本办法重点解决“停放难、"
                    "充电难、管理难”问题。",
        contact_channels="网上意见：在本页面直接提交。\n电子邮箱：ljzj_xf@demo.gov.cn\n电话：0571-87000002",
        opens_in_days=-3, closes_in_days=21, moderation=ModerationMode.REVIEW, comments=EBIKE_COMMENTS,
    ),
    DemoConsultation(
        key="after_school", department="education", title="关于规范中小学课后服务工作的实施意见（征求意见稿）",
        kind=ConsultationKind.NORMATIVE_DOCUMENT,
        summary="为规范中小学课后服务，减轻家长接送负担，市教育局起草了本实施意见，现公开征求意见。",
        draft_text=AFTER_SCHOOL_DRAFT,
        basis="《中华人民共和国教育法》；教育部办公厅《关于做好中小学生课后服务工作的指导意见》。",
        explanation="本意见明确课后服务的时间、内容、收费和校外机构参与办法。",
        contact_channels="网上意见：在本页面直接提交。\n电子邮箱：ljjy_kh@demo.gov.cn",
        opens_in_days=-1, closes_in_days=5,
        short_period_reason="新学期课后服务须在开学时同步启动，为保证各校有时间准备，经研究将征求意见期限缩短为五日。",
        comments=AFTER_SCHOOL_COMMENTS,
    ),
    DemoConsultation(
        key="bus", department="transport", title="临江市中心城区公交线网优化方案（征求意见稿）",
        kind=ConsultationKind.MAJOR_DECISION,
        summary="地铁二号线开通后，部分公交线路与地铁重复。市交通运输局拟优化中心城区公交线网，征求意见期开始后欢迎提出意见。",
        draft_text=BUS_DRAFT,
        basis="《重大行政决策程序暂行条例》；《临江市城市综合交通体系规划（2021—2035年）》。",
        explanation="方案基于全市公交刷卡数据和居民出行调查编制，涉及线路调整三十二条。",
        contact_channels="网上意见：征求意见期开始后在本页面提交。\n座谈会：征求意见期内在各区召开，时间另行通知。",
        opens_in_days=6, closes_in_days=45,
    ),
    DemoConsultation(
        key="catering", department="market", title="临江市小餐饮经营许可管理规定（征求意见稿）",
        kind=ConsultationKind.NORMATIVE_DOCUMENT_MARKET,
        summary="为优化营商环境、规范小餐饮经营，市市场监督管理局起草了本规定。征求意见已结束，感谢各位的参与。",
        draft_text=CATERING_DRAFT,
        basis="《中华人民共和国食品安全法》；《优化营商环境条例》。",
        explanation="本规定推行小餐饮许可告知承诺制，压缩审批时间，同时强化事中事后监管。",
        contact_channels="电子邮箱：ljsj_cy@demo.gov.cn",
        opens_in_days=-75, closes_in_days=-40, comments=CATERING_COMMENTS,
    ),
]
