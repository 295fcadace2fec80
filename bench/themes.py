"""Themes benchmark: how well ``engage.feedback.themes`` finds known points, and how fast at national scale.

    .venv/bin/python bench/themes.py [--comments 2000] [--seeds 5] [--scale 423719]

Quality: a labelled set of comments written from ``POINTS`` (points of view on a draft rule on household waste
sorting), each point in many wordings (a phrasing, an opening and a closing that carry no point, now and then an
aside), plus unrelated comments (labelled by their own text: 支持。 is one opinion however often it is sent) and
two form letters copied with small edits (labelled by their point). The themes proposed are compared with the
labels by the adjusted Rand index (a comment left in no theme counts as a cluster of its own) and by purity
(the share of themed comments whose theme's commonest label is theirs), over several seeds; target: median
adjusted Rand index ≥ 0.7. Speed (``--scale N``): N comments of the same kind themed in one run, timed, with the
process's peak memory. Results go to bench/results/themes-latest.json.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TARGET_ARI = 0.7

POINTS = {
    "kitchen-bins": [
        "每个小区应当增设厨余垃圾投放点",
        "建议多设置一些厨余垃圾的投放桶",
        "厨余垃圾投放点太少，希望增加数量",
        "小区里湿垃圾桶不够用，要多放几个",
        "请在居民楼下增加厨余垃圾收集容器",
    ],
    "opening-hours": [
        "定时定点投放的时间太短，上班族赶不上",
        "建议延长垃圾投放的时间段，晚上也能扔",
        "投放时间只有早晚两个小时，应当放宽",
        "希望垃圾房开放时间更长一些，照顾加班的人",
        "定时投放对年轻人不方便，建议增加夜间投放时间",
    ],
    "fines": [
        "对个人不分类的罚款标准过高，应当降低",
        "罚款金额太重了，建议以教育为主",
        "第一次违规不应罚款，先批评教育",
        "处罚条款过于严厉，普通居民难以承受",
        "建议把个人罚款上限调低，避免一刀切",
    ],
    "elderly-help": [
        "老年人看不懂分类标准，需要志愿者现场指导",
        "应当为行动不便的老人提供上门收集服务",
        "社区要安排人员帮助独居老人分类投放",
        "分类指南字太小，老人读不了，建议印大字版",
        "希望给高龄老人提供分类投放的帮扶",
    ],
    "property-duty": [
        "物业公司应当承担分类管理的主要责任",
        "明确物业企业的督导义务，不能全推给居民",
        "物业要负责分拣和二次分类，而不是只收费",
        "建议规定物业公司违规的处罚措施",
        "物业服务企业应配备专职的分类督导员",
    ],
    "hazardous": [
        "有害垃圾回收点太远，电池没地方扔",
        "建议在超市设置废电池和过期药品回收箱",
        "过期药品应当有专门的回收渠道",
        "希望增加有害垃圾的回收频次和网点",
        "废灯管、油漆桶这类有害垃圾不知道去哪里投",
    ],
    "recyclables-pay": [
        "可回收物应当给居民一定的经济回报",
        "建议推行积分兑换，鼓励居民交投可回收物",
        "卖废品的渠道少了，希望政府支持回收站点",
        "快递纸箱等可回收物应有上门回收服务",
        "建议对主动分类的家庭给予奖励",
    ],
    "transport-mixing": [
        "分好类的垃圾被运输车混装，居民很失望",
        "必须杜绝前端分类后端混运的现象",
        "清运车辆要分类运输，并接受社会监督",
        "经常看到环卫车把各类垃圾倒在一起",
        "建议公开分类运输的车辆和路线，防止混装",
    ],
    "effective-date": [
        "第四条施行日期过早，准备时间不够",
        "建议推迟半年施行，给社区留出准备期",
        "办法实施得太急，设施还没建好",
        "希望设置过渡期，过渡期内不处罚",
        "施行时间应当延后，先试点再推开",
    ],
    "publicity": [
        "应当加强垃圾分类的宣传教育",
        "建议在学校开展分类知识课程",
        "多做一些通俗易懂的宣传视频和海报",
        "宣传不到位，很多居民不知道怎么分",
        "希望社区定期举办分类知识讲座",
    ],
}
OPENINGS = [
    "",
    "",
    "我认为",
    "我建议",
    "个人看法：",
    "作为小区居民，",
    "看了征求意见稿，",
    "关于这个办法，",
    "说几句，",
    "我是一名退休教师，",
    "我家住在老城区，",
    "强烈呼吁，",
]
CLOSINGS = [
    "",
    "",
    "。",
    "。谢谢！",
    "，望采纳。",
    "，请认真考虑。",
    "！",
    "，这是很多居民的心声。",
    "，希望尽快改进。",
    "。以上是我的意见。",
]
ASIDES = [
    "",
    "",
    "",
    "我们楼里的邻居都这么想",
    "这个问题已经很久了",
    "其他城市已经这样做了",
    "上周我亲眼看到的",
    "我在社区群里问过大家",
]
UNRELATED = [
    "小区门口的路灯坏了很久没人修。",
    "希望增加公交线路，方便去医院。",
    "今天天气不错。",
    "学校周边停车太难了。",
    "建议公园晚上延长开放时间。",
    "菜市场的价格有点高。",
    "社区医院应该多安排几位医生。",
    "地铁站的扶梯经常停运。",
    "支持。",
    "同意。",
    "网上办事大厅的登录太麻烦了。",
    "建议多建一些篮球场。",
]
FORM_LETTERS = {
    "fines": "强烈建议取消对个人的罚款条款，垃圾分类应以宣传教育和激励为主，不应一罚了之。",
    "kitchen-bins": "强烈建议在每个小区设置不少于两个厨余垃圾投放点，并配备洗手设施，方便居民分类投放。",
}


def labelled_comments(
    count: int, *, seed: int, unrelated_share: float = 0.08, form_letter_share: float = 0.06
) -> list[tuple[str, str]]:
    """``count`` comments as (text, label), shuffled."""
    rnd = random.Random(seed)
    comments = []
    for point, letter in FORM_LETTERS.items():
        for copy in range(int(count * form_letter_share / len(FORM_LETTERS))):
            comments.append((letter if copy % 3 else letter.replace("，", ",") + "！", point))
    comments += [
        (text, f"unrelated: {text}") for text in (rnd.choice(UNRELATED) for _ in range(int(count * unrelated_share)))
    ]
    while len(comments) < count:
        point = rnd.choice(list(POINTS))
        aside = rnd.choice(ASIDES)
        text = rnd.choice(OPENINGS) + rnd.choice(POINTS[point]) + ("，" + aside if aside else "") + rnd.choice(CLOSINGS)
        comments.append((text, point))
    rnd.shuffle(comments)
    return comments[:count]


def score(comments: list[tuple[str, str]], seed: int) -> dict:
    from sklearn.metrics import adjusted_rand_score

    from engage.feedback import themes

    began = time.perf_counter()
    found = themes.propose_themes(enumerate(text for text, _label in comments), seed=seed)
    seconds = time.perf_counter() - began
    predicted = [f"none {i}" for i in range(len(comments))]
    for number, theme in enumerate(found):
        for comment_id in theme.comment_ids:
            predicted[comment_id] = f"theme {number}"
    truth = [label for _text, label in comments]
    themed = sum(len(theme.comment_ids) for theme in found)
    majority = sum(Counter(truth[i] for i in theme.comment_ids).most_common(1)[0][1] for theme in found)
    return {
        "seed": seed,
        "themes": len(found),
        "ari": round(adjusted_rand_score(truth, predicted), 3),
        "purity": round(majority / themed, 3) if themed else 0.0,
        "themed_share": round(themed / len(comments), 3),
        "seconds": round(seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0, help="also theme this many comments, timed")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    runs = [score(labelled_comments(args.comments, seed=seed), seed) for seed in range(args.seeds)]
    for run in runs:
        print(
            f"  seed {run['seed']}: {run['themes']} themes, adjusted Rand index {run['ari']}, purity "
            f"{run['purity']}, {run['themed_share']:.0%} of comments in a theme, {run['seconds']} s",
            flush=True,
        )
    ari = statistics.median(run["ari"] for run in runs)
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "comments": args.comments,
        "runs": runs,
        "median_ari": ari,
        "median_purity": statistics.median(run["purity"] for run in runs),
    }
    if args.scale:
        large = score(labelled_comments(args.scale, seed=99), 0)
        large["peak_memory_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        result["scale"] = large
        print(
            f"  {args.scale} comments: {large['seconds']} s, {large['themes']} themes, adjusted Rand index "
            f"{large['ari']}, peak memory {large['peak_memory_mib']} MiB",
            flush=True,
        )
    (RESULTS / "themes-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    met = ari >= TARGET_ARI
    print(f"median adjusted Rand index {ari} (target ≥ {TARGET_ARI}): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
