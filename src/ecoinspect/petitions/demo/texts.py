"""What the demo complaints say and how the units answer them: kinds of problem (``Scenario``) with several
wordings each, invented facility names, and the handling texts for each verdict.

Everything is generated: the places are the gazetteer's (real villages, communities and rivers of Baiyun),
the facilities are invented (a made-up trade name + an industry + 厂/场/公司…), people appear only as 某某 and
telephone numbers are visibly fake (138 0000 …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ..choices import ClosureStatus, Verdict

DEMO_MARK = "【演示】"

#: Two syllables make a trade name (鑫达, 恒源 …): invented, combined at random.
_TRADE_FIRST = "鑫恒粤宏嘉盛华富泰联永金创利顺"
_TRADE_SECOND = "达源隆兴丰昌发旺晟瑞通和汇成泽"


@dataclass(frozen=True)
class Scenario:
    """One kind of complaint: its types and sub-tags, the department that leads or helps, the industries
    and the suffix of the facility it is about (none: a place, such as a river or a vacant lot), and the
    wordings (``{where}``: the village or community and town; ``{name}``: the facility; ``{river}``)."""

    key: str
    types: tuple[str, ...]
    sub_tags: tuple[str, ...]
    department: str
    industries: tuple[str, ...]
    suffix: str
    wordings: tuple[str, ...]
    finding: str  # what the unit found when the complaint is true
    measures: str  # what was done
    weight: int = 10


SCENARIOS = (
    Scenario(
        "fumes", ("air",), ("油烟",), "cgzf", ("烧烤", "湘菜", "粥粉面", "快餐", "烧腊"), "店",
        (
            "{where}{name}油烟未经净化直接排放，油烟味很重，影响周边居民开窗通风。",
            "{where}{name}排烟管道正对居民楼，每天傍晚油烟熏人，多次反映未解决。",
            "{where}{name}经营到深夜，油烟和噪声扰民。",
        ),
        "该店未安装油烟净化设施，油烟直排", "责令安装油烟净化设施并规范排放，已完成安装并通过检测", 14,
    ),
    Scenario(
        "site_dust", ("air",), ("扬尘",), "zjj", ("安置房", "商住楼", "道路改造", "厂房"), "项目工地",
        (
            "{where}{name}施工扬尘大，出入车辆未冲洗，道路满是泥土。",
            "{where}{name}土方裸露未覆盖，刮风时尘土飞扬。",
        ),
        "工地部分裸土未覆盖，车辆冲洗设施未正常使用", "责令落实六个百分百措施，裸土已全部覆盖，冲洗设施恢复使用", 10,
    ),
    Scenario(
        "odour", ("air",), ("异味",), "sthj", ("塑料制品", "橡胶", "饲料", "废品回收"), "厂",
        (
            "{where}{name}生产时排放刺鼻异味，晚上尤其严重。",
            "{where}{name}废气未经处理直排，附近居民闻到塑料烧焦味。",
            "{where}{name}夜间偷偷生产，气味难闻，已持续半年。",
        ),
        "该厂废气收集处理设施运行不正常，厂界异味明显", "责令停产整改，更换活性炭并完善废气收集系统，立案查处", 12,
    ),
    Scenario(
        "spraying", ("air",), ("VOCs", "喷漆"), "sthj", ("汽修", "家具", "五金喷涂"), "厂",
        (
            "{where}{name}露天喷漆，没有废气处理设施，油漆味很大。",
            "{where}{name}在厂房外喷涂作业，附近小孩经常咳嗽。",
        ),
        "该厂在未密闭的场所进行喷漆作业", "责令停止露天喷漆，建设密闭喷漆房并配套废气处理设施，依法立案处罚", 8,
    ),
    Scenario(
        "burning", ("air",), ("露天焚烧",), "cgzf", (), "",
        (
            "{where}附近空地经常有人露天焚烧垃圾和废旧电线，浓烟呛人。",
            "{where}有人焚烧秸秆和生活垃圾，烟雾很大。",
        ),
        "现场发现焚烧痕迹", "已清理焚烧残留物，落实网格巡查，在空地设置禁止焚烧警示牌", 6,
    ),
    Scenario(
        "black_river", ("water",), ("黑臭水体",), "swj", (), "",
        (
            "{where}附近的{river}河段河水发黑发臭，两岸有生活污水直排口。",
            "{where}附近{river}支涌黑臭，夏天蚊虫很多，希望尽快整治。",
            "{river}流经{where}附近的河段水面漂浮垃圾，水体发黑。",
        ),
        "该河段存在雨污混流排口，水体感官较差", "已封堵直排口，清理河面垃圾，将排口纳入截污工程", 12,
    ),
    Scenario(
        "wastewater", ("water",), ("污水直排",), "sthj", ("洗水", "印染", "豆制品"), "厂",
        (
            "{where}{name}废水未经处理直接排入{river}，河水颜色异常。",
            "{where}{name}晚上偷排废水，排水口附近有泡沫和异味。",
        ),
        "该厂废水处理设施未正常运行，存在超标排放", "责令停产整改并立案处罚，已完善废水处理设施，排口水质检测达标", 8,
    ),
    Scenario(
        "site_noise", ("noise",), ("施工噪声",), "zjj", ("安置房", "地铁配套", "商住楼"), "项目工地",
        (
            "{where}{name}夜间施工到凌晨，噪声扰民，严重影响休息。",
            "{where}{name}打桩声音很大，晚上十点后仍在施工。",
        ),
        "工地存在未办理夜间施工许可即夜间作业的情况", "责令停止违规夜间施工，依法立案处罚，调整高噪声作业时段", 10,
    ),
    Scenario(
        "factory_noise", ("noise",), ("工业噪声",), "sthj", ("五金", "钢材加工", "木材加工", "纸箱"), "厂",
        (
            "{where}{name}机器运转噪声大，夜间仍在生产。",
            "{where}{name}切割金属的声音刺耳，周末也不停。",
        ),
        "该厂夜间生产，厂界噪声超标", "责令夜间停止高噪声作业，加装隔声设施，复测达标", 9,
    ),
    Scenario(
        "nightlife", ("noise",), ("社会生活噪声",), "gaj", ("KTV", "音乐餐吧", "烧烤夜宵"), "店",
        ("{where}{name}夜间音响声音过大，凌晨还在营业。",),
        "该店夜间经营音响音量偏大", "已约谈经营者并责令降低音量、加装隔音设施，纳入夜间巡查", 5,
    ),
    Scenario(
        "dumping", ("solid_waste",), ("建筑垃圾",), "cgzf", (), "",
        (
            "{where}附近空地被偷倒大量建筑垃圾和生活垃圾，无人清理。",
            "{where}路边堆放建筑余泥，下雨时泥水流到路上。",
        ),
        "现场有建筑垃圾堆放", "已清运建筑垃圾，设置围挡和监控，追查倾倒车辆", 8,
    ),
    Scenario(
        "hazardous", ("solid_waste", "soil"), ("危险废物",), "sthj", ("电镀", "线路板", "废旧电池回收"), "厂",
        (
            "{where}{name}危险废物随意堆放在厂外空地，没有防雨防渗措施。",
            "{where}{name}把废酸桶丢在路边，担心污染土壤和地下水。",
        ),
        "该厂危险废物贮存不规范", "责令规范危险废物贮存并委托有资质单位转移处置，立案处罚", 4,
    ),
    Scenario(
        "piggery", ("agriculture", "water"), ("畜禽养殖",), "nync", ("生猪", "家禽"), "养殖场",
        (
            "{where}{name}粪污直排周边鱼塘和水沟，臭味很大。",
            "{where}{name}规模越来越大，养殖废水流进{river}。",
        ),
        "该养殖场位于禁养区，粪污处理设施不完善", "已依法关停清拆，清理粪污并对周边沟渠进行清淤", 5,
    ),
    Scenario(
        "logistics", ("air", "noise"), ("扬尘", "交通噪声"), "jtys", ("仓储", "物流"), "物流园",
        (
            "{where}{name}货车进出频繁，扬尘大，夜间噪声扰民。",
            "{where}{name}大货车通宵装卸货，道路破损尘土多。",
        ),
        "园区道路破损、车辆进出扬尘明显", "已修复园区道路，增设洒水降尘，夜间限制高噪声装卸作业", 6,
    ),
    Scenario(
        "quarry", ("ecology",), ("山体破坏",), "ghzy", (), "",
        ("{where}附近山体被挖山取土，植被破坏严重。", "{where}有人在山边违法占用林地搭建厂房。"),
        "现场存在违法占地和破坏植被的情况", "已立案查处，责令恢复原状，开展复绿", 3,
    ),
)

RIVER_FALLBACK = ("流溪河", "石井河", "新市涌", "白坭河")
_CALLERS = ("", "", "", "来电人反映：", "群众反映：", "来信反映，", "李某某反映，", "陈某某等居民反映：")
_TAILS = ("", "", "", "希望有关部门尽快处理。", "已多次向有关部门反映，问题一直没有解决。", "请求督察组督促整改。")


def trade_name(rng: random.Random) -> str:
    return rng.choice(_TRADE_FIRST) + rng.choice(_TRADE_SECOND)


def facility_name(rng: random.Random, scenario: Scenario) -> str:
    """An invented facility for a scenario that is about one (empty otherwise)."""
    if not scenario.suffix:
        return ""
    return trade_name(rng) + rng.choice(scenario.industries) + scenario.suffix


def complaint(rng: random.Random, scenario: Scenario, *, where: str, name: str, river: str, contact: bool) -> str:
    """One wording of a complaint; a few carry a (fake) contact for the publisher's masking to catch."""
    text = rng.choice(scenario.wordings).format(where=where, name=name, river=river)
    text = rng.choice(_CALLERS) + text + rng.choice(_TAILS)
    if contact:
        text += f"联系人：张某某，电话 138 0000 {rng.randrange(10000):04d}。"
    return DEMO_MARK + text


def variant(rng: random.Random, original: str) -> str:
    """A repeat of the same complaint in other words (the complainant writes again)."""
    body = original.removeprefix(DEMO_MARK)
    prefix = rng.choice(("再次反映：", "重复投诉：", "此前已投诉，", "问题仍未解决，"))
    return DEMO_MARK + prefix + body


@dataclass(frozen=True)
class Handling:
    values: dict
    claims: list[dict]


def handling(rng: random.Random, scenario: Scenario, *, subject: str, unit: str, verdict: str, closure: str) -> Handling:
    """What the lead unit reports: investigation, verdict, closure target, handling, closure status,
    accountability and the enforcement counts (边督边改)."""
    found = scenario.finding
    if verdict == Verdict.FALSE:
        investigation = f"经{unit}会同相关部门现场核查，{subject}未发现群众反映的问题，群众反映问题不属实。"
        measures = "已向群众做好解释，将加强日常巡查。"
        target = "加强巡查，防止问题发生。"
    else:
        how = {"true": "属实", "basically_true": "基本属实", "partly_true": "部分属实"}[verdict]
        investigation = f"经{unit}会同相关部门现场核查，{subject}{found}，群众反映问题{how}。"
        measures = scenario.measures + "。"
        target = "问题整改到位，群众满意。"
    values = {
        "investigation": investigation,
        "verdict": verdict,
        "closure_target": target,
        "handling": measures,
        "closure_status": closure,
        "accountability": "无",
    }
    # about as often as the provinces' daily figures show them (a fifth of the true cases ordered to
    # rectify, one in twelve fined a few ten-thousand yuan, investigations and detentions rare)
    if verdict != Verdict.FALSE and scenario.suffix and rng.random() < 0.3:
        values["rectify_orders"] = 1
        if rng.random() < 0.35:
            values["penalty_cases"] = 1
            values["fine_amount"] = Decimal(rng.choice(("0.2", "0.3", "0.5", "0.8", "1", "1.5", "2", "3", "5")))
        if rng.random() < 0.03:
            values["criminal_cases"] = 1
            values["criminal_detentions"] = rng.choice((0, 1))
        if rng.random() < 0.02:
            values["admin_detentions"] = 1
    if verdict != Verdict.FALSE and rng.random() < 0.01:
        values["interviews"] = rng.choice((1, 2))
        values["accountability"] = f"约谈{values['interviews']}人。"
    if verdict in (Verdict.TRUE, Verdict.BASICALLY_TRUE) and rng.random() < 0.006:
        values["accountable_people"] = 1
        values["accountability"] = "对属地监管责任人问责1人。"
    claims = [{"text": "群众反映的主要问题", "finding": investigation, "verdict": verdict}]
    return Handling(values=values, claims=claims)


def finish(values: dict) -> dict:
    """A stage-closed case done at last: the same report, closed."""
    return values | {"closure_status": ClosureStatus.CLOSED, "handling": values["handling"] + "后续整改已全部完成。"}
