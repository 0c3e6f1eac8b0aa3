"""Demo rectification ledger: about 250 invented problems across Baiyun's real units, in every state.

Everything here is invented except the units (and the names of rivers and villages, used as places):
facilities, people, cases and numbers are made up, every title starts with 【演示】 and every person the
loader creates has "（演示）" in their name.

How it is built
---------------
* **Through the services.** Every problem is registered, assigned, worked, accepted, published, closed or
  reopened by the ledger's services, as the person who would do it (the office registers and assigns,
  the lead unit's staff report progress and upload evidence, the acceptance unit's reviewer accepts, the
  publisher publishes). The ActionLog, the ChangeLog, the stage timestamps and the timelines are the
  services' own.
* **A replayed clock.** Histories are spread over the last eight months. Dates the services take as
  parameters are passed (``registered_on``, ``reported_on``, ``accepted_on``, ``starts_on``, ``done_on``,
  ``acted_on``); everything else the services stamp with "now" (assignment and closing times, "today" in
  their checks, the ActionLog's time). For that the loader replays all events in date order and, while
  it runs, points ``django.utils.timezone.now`` at the simulated moment of each event — the only thing
  adjusted outside the services; no row is written or edited directly. The real clock is restored when
  the load ends (or fails). Each simulated day is one transaction, so notifications, which are sent after
  commit, carry their day's time; notifications older than a week are then marked read.
* **People.** The demo log-ins of ``ecoinspect.common.demo`` are used where they fit (水务局 "water",
  三元里街道 "sanyuanli", 太和镇 "taihe", 生态环境分局 "reviewer", "coordinator", "publisher"). Units that
  have no demo log-in get a demo staff member (``demo_<code>``), and acceptance units other than the
  ecology-environment branch a demo reviewer (``demo_<code>_reviewer``), with unusable passwords: they are
  actors in the timelines, not log-ins.
* **Idempotent.** The load ends with the ActionLog entry ``ledger.demo.loaded``; when it exists (or any
  【演示】 problem does), nothing is loaded again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock
from zoneinfo import ZoneInfo

DEMO_MARK = "【演示】"
LOADED_ACTION = "ledger.demo.loaded"
SEED = 20260914
HISTORY_DAYS = 240
TZ = ZoneInfo("Asia/Shanghai")

# --- places -----------------------------------------------------------------------------------------------

#: town/subdistrict code → (places used in addresses, rivers and streams nearby). Place names never contain
#: another town's name, so the address resolves to the intended town.
PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sanyuanli": (("松柏东街", "三元里大道北段", "瑶台村"), ("沙河涌",)),
    "songzhou": (("螺涌村", "西槎路沿线", "增槎路批发市场周边"), ("海口涌", "西航道")),
    "jingtai": (("广园中路", "景泰直街", "景泰涌左岸"), ("景泰涌", "沙河涌")),
    "tongde": (("田心村", "上步村", "鹅掌坦"), ("西航道", "海口涌")),
    "huangshi": (("江夏村", "陈田村", "黄石东路"), ("新市涌", "景泰涌")),
    "tangjing": (("棠溪村", "远景路", "机场西路沿线"), ("沙河涌", "新市涌")),
    "xinshi": (("萧岗村", "齐富路", "新市涌沿岸"), ("新市涌",)),
    "tonghe": (("蟾蜍石", "握山村", "同和路"), ("沙河涌",)),
    "jingxi": (("下塘村", "沙太路沿线", "犀牛角"), ("沙河涌",)),
    "yongping": (("东平村", "永泰村", "白云大道北沿线"), ("景泰涌", "流溪河")),
    "jiahe": (("望岗村", "鹤边村", "106国道沿线"), ("白海面涌", "流溪河")),
    "junhe": (("石马桥", "罗岗村", "清湖村"), ("白海面涌",)),
    "shijing": (("庆丰村", "石井河沿岸", "夏花二路"), ("石井河",)),
    "jinsha": (("横沙村", "沙凤村", "金沙洲大桥下"), ("西航道", "白坭河")),
    "yuncheng": (("云城西路", "白云新城", "萧岗村北"), ("新市涌",)),
    "helong": (("黄边村", "鹤龙一路", "马务村"), ("白海面涌",)),
    "baiyunhu": (("夏茅村", "大朗村", "白云湖公园周边"), ("白海面涌", "石井河")),
    "shimen": (("朝阳村", "红星村", "滘心村"), ("白坭河", "流溪河")),
    "longgui": (("南村", "夏良村", "永兴村"), ("流溪河",)),
    "dayuan": (("营溪村", "大源北路", "龙岗村"), ("流溪河",)),
    "jianggao": (("南岗村", "双岗村", "泉溪村", "神山工业区"), ("巴江河", "白坭河", "流溪河")),
    "renhe": (("秀水村", "鸦湖村", "明星村", "方石村"), ("流溪河", "白坭河")),
    "taihe": (("穗丰村", "田心村", "草塘村", "兴丰村"), ("流溪河",)),
    "zhongluotan": (("良田村", "竹料", "白沙村", "长腰岭村"), ("流溪河",)),
}

FIRMS = (
    "鑫瑞",
    "恒晟",
    "粤旺",
    "嘉利达",
    "永顺昌",
    "穗新",
    "宏骏",
    "联泰丰",
    "金禾",
    "泰和源",
    "盛鑫",
    "创美",
    "新佳",
    "利兴",
)
SURNAMES = "陈李黄张梁刘何林罗吴郑谢冯邓钟曾彭叶苏卢蔡"

# --- scenarios --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    key: str
    lead: str  # a department code, or "town": the town or subdistrict where the problem is
    acceptance: str  # a department code
    cooperating: tuple[str, ...]  # department codes, or "town"
    types: tuple[str, ...]
    title: str  # {place} {river} {firm} are filled in
    description: str
    target: str
    measures: tuple[str, ...]
    reports: tuple[str, ...]  # the story of the work, in order
    photos: tuple[str, ...]
    document: tuple[str, str] = ("整改情况说明.pdf", "document")  # (file name, evidence kind)
    joint: tuple[str, str] = ("", "")  # (findings, actions) for complex problems
    scene: str = "river"
    weight: int = 3


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "outfall",
        "swj",
        "sthj",
        ("town",),
        ("water",),
        "{river}{place}段雨水排口旱季污水直排",
        "巡河发现{river}{place}段雨水排口旱季仍有灰黑色污水排出，伴有明显异味，初步判断为沿线出租屋及餐饮店生活污水雨污混接。",
        "排口旱季无污水排出，{river}相关断面水质稳定达到地表水Ⅴ类。",
        (
            "开展排口溯源排查，建立雨污混接点清单",
            "完成混接点雨污分流改造",
            "排口纳入河长日常巡查并加装视频监控",
        ),
        (
            "已完成排口上游 1.2 公里管线 CCTV 检测，查明混接点 9 处。",
            "已完成 6 处混接点改造，剩余 3 处涉及私人物业，正在协调。",
            "混接点全部完成改造，连续 7 天旱季巡查排口无污水排出。",
        ),
        ("排口整改前", "混接点改造施工", "排口旱季无出水"),
        ("水质监测报告.pdf", "monitoring"),
        weight=6,
    ),
    Scenario(
        "black_odorous",
        "town",
        "swj",
        ("swj",),
        ("water",),
        "{place}内河涌黑臭反弹",
        "群众反映{place}内河涌水体发黑发臭，经现场核查，河涌截污不彻底，底泥淤积，水体透明度不足 25 厘米，存在返黑返臭现象。",
        "消除黑臭，透明度、溶解氧、氨氮等指标达到不黑不臭标准，建立长效管护机制。",
        ("完善截污管网，封堵直排口", "实施清淤疏浚", "落实河涌保洁与巡查长效机制"),
        (
            "已封堵直排口 4 个，清淤工程完成招标。",
            "清淤完成 60%，截污管网铺设 800 米。",
            "清淤完成，委托第三方连续监测 2 周，水质指标达标。",
        ),
        ("河涌整治前", "清淤施工现场", "整治后河涌水面"),
        ("第三方水质监测报告.pdf", "monitoring"),
        weight=5,
    ),
    Scenario(
        "sewer",
        "swj",
        "swj",
        ("town",),
        ("water",),
        "{place}市政污水管网破损渗漏、污水冒溢",
        "{place}一带市政污水管网老化破损，雨天检查井冒溢，污水沿路面流入{river}。",
        "完成破损管段修复，雨季无冒溢，污水收集率提升。",
        ("完成管网检测评估", "修复破损管段并更换检查井盖板", "建立汛期巡查制度"),
        (
            "管网检测完成，确定需修复管段 350 米。",
            "非开挖修复已完成 200 米。",
            "全部修复完成，经两场强降雨检验无冒溢。",
        ),
        ("冒溢检查井", "非开挖修复施工", "修复后路面"),
        weight=3,
    ),
    Scenario(
        "vocs",
        "sthj",
        "sthj",
        ("town",),
        ("air",),
        "{firm}家具厂喷涂工序废气未经收集直排",
        "执法检查发现{place}{firm}家具厂喷涂工序未在密闭空间进行，VOCs 废气未经收集处理直接排放，周边群众反映异味明显。",
        "喷涂工序密闭，废气经收集处理后达标排放，依法查处违法行为。",
        ("责令停止违法排污行为", "建设密闭喷涂房及活性炭吸附设施", "委托监测并申领排污许可"),
        (
            "已下达责令改正违法行为决定书，企业停产整改。",
            "密闭喷涂房主体完成，废气治理设施安装中。",
            "治理设施运行正常，监测结果达标，已取得排污许可登记。",
        ),
        ("喷涂车间整改前", "新建密闭喷涂房", "废气治理设施"),
        ("行政处罚决定书.pdf", "penalty"),
        joint=(
            "企业无证生产并私设暗管排放清洗废水",
            "生态环境、市场监管、属地街道联合查处，断电断水，移交公安",
        ),
        scene="factory",
        weight=4,
    ),
    Scenario(
        "scattered",
        "town",
        "gxj",
        ("gxj", "sthj"),
        ("air", "solid_waste"),
        "{place}村级工业园“散乱污”企业反弹",
        "暗访发现{place}村级工业园内已取缔的 5 家“散乱污”小作坊死灰复燃，存在无证生产、废气直排、固废乱堆等问题。",
        "“散乱污”场所全部依法取缔或整合提升，不反弹。",
        ("逐户建档，分类处置", "对取缔类落实“两断三清”", "建立网格化巡查防反弹机制"),
        (
            "完成园区 38 家企业摸排，其中取缔类 5 家、整合提升类 7 家。",
            "5 家取缔类已断水断电，设备清理 3 家。",
            "全部完成“两断三清”，整合提升类完成验收。",
        ),
        ("作坊整治前", "断电断水现场", "清理后厂房"),
        joint=(
            "多家作坊夜间偷偷生产，废气直排",
            "工信、生态环境、市场监管、供电部门联合执法，落实“两断三清”",
        ),
        scene="factory",
        weight=5,
    ),
    Scenario(
        "park_upgrade",
        "gxj",
        "gxj",
        ("town", "sthj"),
        ("air", "water"),
        "{place}村级工业园升级改造滞后、环保设施缺失",
        "{place}村级工业园入驻企业 40 余家，园区无集中污水收集设施，部分企业废气治理设施简易，升级改造计划未按期推进。",
        "完成园区升级改造，企业污水纳管、废气治理设施规范运行。",
        ("制定园区升级改造方案", "建设园区污水收集管网", "督促企业完善废气治理设施"),
        (
            "园区升级改造方案已报区政府审定。",
            "污水收集管网完成 70%，12 家企业完成废气治理设施改造。",
            "管网建成投用，企业废气治理设施全部规范运行。",
        ),
        ("园区现状", "管网施工", "改造后园区"),
        scene="factory",
        weight=2,
    ),
    Scenario(
        "dust",
        "zjj",
        "zjj",
        ("town",),
        ("air",),
        "{place}在建项目扬尘防治“六个百分百”落实不到位",
        "检查发现{place}某在建商住项目裸土未覆盖、车辆冲洗设施未正常使用，施工扬尘明显。",
        "工地严格落实“六个百分百”，在线监测 PM10 不超标。",
        ("裸土全部覆盖并实施喷淋降尘", "修复并规范使用车辆冲洗设施", "扬尘在线监测接入监管平台"),
        (
            "已对施工单位约谈并下达整改通知书。",
            "裸土覆盖完成，冲洗平台恢复使用。",
            "连续 15 天在线监测无超标，复查合格。",
        ),
        ("工地裸土覆盖", "车辆冲洗平台", "在线监测屏"),
        scene="site",
        weight=4,
    ),
    Scenario(
        "night_work",
        "zjj",
        "zjj",
        ("town", "gaj"),
        ("noise",),
        "{place}工地夜间违规施工噪声扰民",
        "群众多次投诉{place}一工地夜间 22 时后仍进行混凝土浇筑和打桩作业，噪声扰民。",
        "杜绝无证夜间施工，噪声投诉清零。",
        ("核查夜间施工许可，依法查处", "调整施工工序，高噪声设备加装隔声屏障"),
        ("已对施工单位立案处罚。", "隔声屏障安装完成，夜间巡查未发现违规施工。"),
        ("夜间巡查记录", "隔声屏障"),
        ("行政处罚决定书.pdf", "penalty"),
        scene="site",
        weight=2,
    ),
    Scenario(
        "fumes",
        "cgzf",
        "cgzf",
        ("town", "scjg"),
        ("air",),
        "{place}沿街餐饮店油烟直排扰民",
        "群众反映{place}沿街 6 家餐饮店未安装油烟净化设施或设施未正常使用，油烟直排居民楼。",
        "餐饮油烟净化设施 100% 安装并正常使用，油烟排放达标。",
        ("逐店检查并建立台账", "督促安装高效油烟净化器并定期清洗", "对拒不整改的依法处罚"),
        (
            "已检查 6 家，下达整改通知 5 份。",
            "5 家完成净化器安装，1 家立案查处。",
            "全部整改到位，油烟检测达标。",
        ),
        ("油烟净化器安装", "排烟口改造", "复查现场"),
        scene="street",
        weight=4,
    ),
    Scenario(
        "waste_dump",
        "town",
        "cgzf",
        ("cgzf",),
        ("solid_waste",),
        "{place}建筑垃圾违规堆放及露天焚烧",
        "巡查发现{place}空地堆放建筑垃圾约 3000 立方米，并有露天焚烧痕迹，影响周边环境。",
        "清运全部建筑垃圾，查处违法倾倒行为，场地围蔽复绿。",
        ("组织清运堆放垃圾", "溯源查处违法倾倒运输车辆", "场地围蔽并复绿"),
        (
            "已清运 1200 立方米，锁定运输车辆 2 台。",
            "清运完成 90%，对运输单位立案处罚。",
            "清运完成，场地围蔽复绿。",
        ),
        ("堆放现场", "清运作业", "复绿后场地"),
        scene="hill",
        weight=4,
    ),
    Scenario(
        "piggery",
        "nync",
        "nync",
        ("town", "sthj"),
        ("agriculture", "water"),
        "{river}沿岸{place}养猪场粪污直排",
        "{river}{place}段沿岸一处禁养区养猪场存栏约 600 头，粪污未经处理直排入河，周边水体氨氮超标。",
        "禁养区养殖场依法关闭清拆，粪污清理，水体氨氮达标。",
        ("依法关闭禁养区养殖场", "清理粪污及养殖设施", "开展周边水体监测"),
        (
            "已下达关闭通知，生猪出栏 400 头。",
            "生猪全部出栏，栏舍拆除 70%。",
            "栏舍清拆完成，粪污清运，水质监测达标。",
        ),
        ("养殖场整治前", "栏舍拆除", "清拆后场地"),
        joint=("养殖场夜间向河涌偷排粪污", "农业农村、生态环境、属地镇街联合执法，依法关停并清拆"),
        scene="farm",
        weight=3,
    ),
    Scenario(
        "fishpond",
        "nync",
        "nync",
        ("town",),
        ("agriculture", "water"),
        "{place}鱼塘清塘尾水直排{river}",
        "{place}一带鱼塘清塘期间尾水未经处理直排{river}，导致下游断面总磷升高。",
        "养殖尾水经生态沟渠处理后排放，下游断面总磷达标。",
        ("建设尾水生态处理沟渠", "规范清塘作业时间和方式"),
        ("尾水处理方案已完成设计。", "生态沟渠建成并投入使用，下游断面总磷恢复达标。"),
        ("鱼塘尾水排口", "生态沟渠"),
        scene="farm",
        weight=2,
    ),
    Scenario(
        "petrol",
        "scjg",
        "scjg",
        ("sthj",),
        ("air",),
        "{firm}加油站油气回收装置失效",
        "检测发现{place}{firm}加油站加油枪气液比不合格，油气回收系统密闭性检测不达标。",
        "油气回收系统检测全部合格，油品质量抽检合格。",
        ("更换不合格加油枪及回收管线", "委托第三方开展油气回收检测"),
        ("已更换加油枪 8 支。", "第三方检测结果全部合格。"),
        ("加油枪更换", "油气回收检测"),
        ("油气回收检测报告.pdf", "monitoring"),
        scene="street",
        weight=2,
    ),
    Scenario(
        "quarry",
        "ghzy",
        "ghzy",
        ("town", "lyyl"),
        ("ecology",),
        "{place}违法取土破坏山体未修复",
        "卫片执法发现{place}一处山体被违法取土，破坏面积约 12 亩，至今未修复。",
        "查处违法取土行为，完成山体生态修复。",
        ("立案查处违法取土", "编制生态修复方案", "完成边坡治理和复绿"),
        (
            "已立案查处，责令停止违法行为。",
            "修复方案通过评审，边坡治理施工中。",
            "复绿完成，成活率 90% 以上。",
        ),
        ("取土现场", "边坡治理", "复绿后山体"),
        scene="hill",
        weight=2,
    ),
    Scenario(
        "medical",
        "wsjk",
        "wsjk",
        ("town", "sthj"),
        ("solid_waste",),
        "{place}诊所医疗废物混入生活垃圾",
        "检查发现{place} 3 家诊所医疗废物未分类收集，混入生活垃圾，交接台账缺失。",
        "医疗废物规范分类收集和交接，台账完整。",
        ("开展辖区诊所医疗废物专项检查", "督促签订医疗废物集中处置合同", "对违法诊所依法处罚"),
        ("完成 46 家诊所专项检查。", "3 家诊所完成整改并签订处置合同。"),
        ("医疗废物暂存点", "交接台账"),
        scene="street",
        weight=2,
    ),
    Scenario(
        "forest",
        "lyyl",
        "lyyl",
        ("town", "ghzy"),
        ("ecology",),
        "{place}林地被违法占用搭建仓库",
        "核查发现{place}公益林地被违法占用约 5 亩，搭建铁皮仓库 3 栋。",
        "拆除违法建筑，恢复林地植被。",
        ("立案查处毁林行为", "拆除违法搭建", "补植复绿"),
        ("已立案，当事人签订自行拆除承诺书。", "违建拆除完成，补植苗木 600 株。"),
        ("违建仓库", "拆除现场", "补植后林地"),
        scene="hill",
        weight=2,
    ),
    Scenario(
        "dumping",
        "gaj",
        "sthj",
        ("sthj", "town"),
        ("solid_waste", "soil"),
        "{place}跨区非法倾倒工业固废",
        "群众举报{place}空地被倾倒疑似工业污泥约 200 吨，散发刺激性气味。",
        "查明倾倒来源，依法追究责任，完成固废清运和土壤检测。",
        ("立案侦查，锁定倾倒链条", "委托有资质单位清运处置", "开展场地土壤检测"),
        ("已抓获涉案人员 3 名。", "固废清运完成，土壤检测指标未超风险筛选值。"),
        ("倾倒现场", "清运处置"),
        ("土壤检测报告.pdf", "monitoring"),
        joint=("倾倒来源为外区电镀企业污泥", "公安、生态环境联合侦办，移送检察机关"),
        scene="hill",
        weight=2,
    ),
    Scenario(
        "trucks",
        "jtys",
        "jtys",
        ("town", "cgzf"),
        ("air",),
        "{place}泥头车带泥上路、抛洒滴漏",
        "{place}路段泥头车未密闭运输，带泥上路，路面积尘严重。",
        "运输车辆全部密闭，出场冲洗，路面无积尘。",
        ("设置联合检查点查处违规车辆", "督促运输企业落实车辆密闭"),
        ("查处违规车辆 27 台次。", "连续一个月检查未发现抛洒滴漏。"),
        ("联合检查点", "清洁后路面"),
        scene="street",
        weight=2,
    ),
    Scenario(
        "hazwaste",
        "sthj",
        "sthj",
        ("town",),
        ("solid_waste",),
        "{firm}五金制品厂危险废物贮存不规范",
        "检查发现{place}{firm}五金制品厂废切削液、废机油露天堆放，危废贮存间未防渗，标识缺失。",
        "危险废物规范贮存、转移联单完整。",
        ("建设规范的危险废物贮存间", "委托有资质单位转移处置"),
        ("贮存间完成防渗改造。", "已转移处置危险废物 4.6 吨，联单齐全。"),
        ("危废贮存间", "转移联单"),
        scene="factory",
        weight=2,
    ),
    Scenario(
        "soil",
        "sthj",
        "sthj",
        ("ghzy", "town"),
        ("soil",),
        "原{firm}电镀厂关闭地块土壤污染风险管控",
        "{place}原{firm}电镀厂关闭搬迁后，地块未按要求开展土壤污染状况调查即拟开发利用。",
        "完成土壤污染状况调查和风险评估，落实风险管控措施后方可开发利用。",
        ("开展土壤污染状况调查", "编制风险管控方案", "实施风险管控并开展效果评估"),
        ("调查完成，部分点位重金属超筛选值。", "风险管控方案通过专家评审。", "风险管控措施实施完成。"),
        ("地块现场", "采样点位"),
        ("土壤污染状况调查报告.pdf", "monitoring"),
        scene="site",
        weight=1,
    ),
    Scenario(
        "radiation",
        "sthj",
        "sthj",
        ("wsjk",),
        ("radiation",),
        "{place}民营医院放射诊疗设备辐射安全许可证过期",
        "检查发现{place}一家民营医院 CT 及 DR 设备辐射安全许可证过期未延续，个人剂量监测不规范。",
        "依法办理辐射安全许可，落实个人剂量监测。",
        ("责令停止使用相关设备", "办理辐射安全许可延续", "规范个人剂量监测"),
        ("设备已停用，许可延续申请已受理。", "取得新许可证，剂量监测档案完善。"),
        ("设备机房", "辐射安全许可证"),
        ("辐射环境监测报告.pdf", "monitoring"),
        scene="street",
        weight=1,
    ),
    Scenario(
        "marine",
        "swj",
        "sthj",
        ("nync", "town"),
        ("marine", "water"),
        "{river}入珠江口断面总氮浓度偏高（入海河流总氮控制）",
        "{river}下游入珠江口断面总氮浓度连续 3 个月高于控制目标，影响入海河流总氮削减任务完成。",
        "入海断面总氮浓度稳定控制在年度目标以内。",
        ("排查总氮主要来源", "推进污水处理厂提标改造", "加强农业面源氮流失控制"),
        (
            "来源解析完成，生活污水和农业面源为主要来源。",
            "污水处理厂提标工程完成 70%。",
            "断面总氮连续 3 个月达标。",
        ),
        ("入海断面", "提标改造工程"),
        ("断面水质监测报告.pdf", "monitoring"),
        weight=1,
    ),
    Scenario(
        "dance",
        "gaj",
        "gaj",
        ("town", "cgzf"),
        ("noise",),
        "{place}广场舞高音喇叭噪声扰民",
        "群众反映{place}公园广场舞使用高音喇叭，晚间噪声扰民。",
        "文明健身，晚间噪声达标，投诉清零。",
        ("约谈活动组织者，划定活动时段和音量", "加强夜间巡查"),
        ("已约谈组织者 4 名，配发音量检测仪。", "连续两周巡查无超标。"),
        ("公园广场", "巡查记录"),
        scene="street",
        weight=1,
    ),
)

SOURCE_REFS = {
    "typical_case": lambda rng, n, day: rng.choice(
        (
            "对照通报典型案例：城市黑臭水体整治“表面化”",
            "对照通报典型案例：“散乱污”整治不彻底、反弹回潮",
            "对照通报典型案例：禁养区养殖场关而不停",
            "对照通报典型案例：建筑工地扬尘管控流于形式",
        )
    ),
    "feedback": lambda rng, n, day: f"第二轮中央生态环境保护督察反馈意见第 {rng.randint(3, 41)} 条",
    "petition": lambda rng, n, day: f"{rng.choice('DX')}3GD{day:%Y%m%d}{n:04d}",
    "self_inspection": lambda rng, n, day: f"自查自纠清单第 {n} 项",
    "undercover": lambda rng, n, day: f"区督察迎检办暗查暗访（{day:%Y年%m月%d日}）",
    "monitoring": lambda rng, n, day: f"{day:%Y年%m月}水质自动站预警第 {n % 97 + 1} 号",
    "enforcement": lambda rng, n, day: f"BYZF-{day:%Y}-{n:04d}",
}

# --- generated files --------------------------------------------------------------------------------------


def photo_png(rng: random.Random, scene: str, label: str) -> bytes:
    """A small "site photo": a scene in flat colours with an ASCII caption (no font needed)."""
    from PIL import Image, ImageDraw

    w, h = 360, 240
    image = Image.new("RGB", (w, h), (170, 200, 235))
    draw = ImageDraw.Draw(image)
    for y in range(0, 96, 6):
        draw.rectangle([0, y, w, y + 6], fill=(150 + y // 2, 185 + y // 4, 235))
    ground = {
        "river": (92, 138, 72),
        "farm": (120, 150, 70),
        "hill": (130, 110, 80),
        "site": (150, 135, 110),
        "factory": (120, 120, 120),
        "street": (110, 110, 115),
    }[scene]
    draw.rectangle([0, 96, w, h], fill=ground)
    jitter = rng.randint(-20, 20)
    if scene in ("river", "farm"):
        draw.polygon([(0, 150 + jitter), (w, 135), (w, h), (0, h)], fill=(70 + rng.randint(0, 60), 105, 120))
        draw.rectangle([40 + jitter, 120, 90 + jitter, 150], fill=(90, 90, 95))
        draw.ellipse([55 + jitter, 128, 75 + jitter, 146], fill=(40, 40, 45))
    elif scene == "hill":
        draw.polygon([(0, 140), (120 + jitter, 60), (260, 140)], fill=(100, 120 + rng.randint(0, 40), 70))
    else:
        for i in range(rng.randint(2, 5)):
            x = 20 + i * 70 + jitter
            draw.rectangle([x, 60 + i * 7, x + 55, 180], fill=(180 - i * 15, 170, 160 + i * 10))
    draw.rectangle([0, h - 22, w, h], fill=(0, 0, 0))
    draw.text((6, h - 18), label, fill=(255, 230, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII lines of text (Helvetica), with a correct cross-reference table."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 60 780 Td 18 TL " + " ".join(f"({esc(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("ascii"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii"))
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode("ascii"))
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    )
    return out.getvalue()


# --- the replayed clock -----------------------------------------------------------------------------------


@contextlib.contextmanager
def simulated_clock():
    """Point ``django.utils.timezone.now`` at ``clock.now`` for the duration of the load (see the docstring)."""
    from django.utils import timezone

    class Clock:
        now = timezone.now()

    clock = Clock()
    with mock.patch.object(timezone, "now", lambda: clock.now):
        yield clock


# --- stories ----------------------------------------------------------------------------------------------

# The final states, how many of each, and for problems still being rectified the warning colour to show.
PLAN: tuple[tuple[str, str, int], ...] = (
    ("registered", "", 16),
    ("assigned", "", 18),
    ("rectifying", "none", 30),
    ("rectifying", "blue", 22),
    ("rectifying", "yellow", 16),
    ("rectifying", "red", 22),
    ("rectifying", "long_term", 12),
    ("rectifying", "paused", 4),
    ("rectifying", "objection", 2),
    ("completed", "", 12),
    ("accepting", "", 8),
    ("accepted", "", 8),
    ("publicity", "", 14),
    ("closed", "", 56),
    ("reopened", "", 8),
)


@dataclass
class Track:
    """The steps scheduled for one thing (a story, a notice), kept in order by ``Loader.at``."""

    n: int
    events: list = field(default_factory=list)


@dataclass
class Story:
    n: int
    scenario: Scenario
    town: str
    final: str
    colour: str
    source: str
    mode: str
    kind: str
    is_key: bool
    is_complex: bool
    severity: str
    place: str
    river: str
    firm: str
    lead: str = ""
    first_lead: str = ""  # a wrong first routing, corrected by re-routing
    acceptance: str = ""
    cooperating: list[str] = field(default_factory=list)
    problem: object = None
    events: list = field(default_factory=list)
    photos_taken: int = 0

    def fill(self, text: str) -> str:
        return text.format(place=self.place, river=self.river, firm=self.firm)


class Loader:
    def __init__(self, stdout=None, today: dt.date | None = None):
        from django.utils import timezone

        from ecoinspect.common.calendar import default_calendar

        self.stdout = stdout
        self.today = today or timezone.localdate()
        self.rng = random.Random(SEED)
        self.cal = default_calendar()
        self.cal.is_workday = functools.lru_cache(maxsize=None)(self.cal.is_workday)  # planning asks a lot
        self.events: list[tuple[dt.datetime, int, Callable]] = []
        self.seq = 0
        self.stories: list[Story] = []
        self.notices: list = []

    # -- people -------------------------------------------------------------------------------------------

    def load_people(self) -> None:
        from ecoinspect.orgs.models import Unit, User

        self.units = {u.code: u for u in Unit.objects.all()}
        self.users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
        missing = DEMO_USERNAMES - set(self.users)
        if missing:
            raise RuntimeError(
                f"demo people missing ({', '.join(sorted(missing))}): run `ecoinspect demo load`"
            )
        self.staff = {
            "swj": self.users["water"],
            "sanyuanli": self.users["sanyuanli"],
            "taihe": self.users["taihe"],
        }
        self.reviewers = {"sthj": self.users["reviewer"]}
        for code, unit in self.units.items():
            if unit.kind not in ("department", "town", "subdistrict"):
                continue
            if code not in self.staff:
                self.staff[code] = self._person(
                    f"demo_{code}", f"{unit.short_name}经办人（演示）", unit, "staff"
                )
            if unit.kind == "department" and code not in self.reviewers:
                self.reviewers[code] = self._person(
                    f"demo_{code}_reviewer", f"{unit.short_name}验收人（演示）", unit, "reviewer"
                )
        self.coordinator = self.users["coordinator"]
        self.publisher = self.users["publisher"]

    def _person(self, username, full_name, unit, role):
        from ecoinspect.orgs.models import Membership, User

        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        return user

    # -- planning -----------------------------------------------------------------------------------------

    def wd(self, day: dt.date) -> dt.date:
        """The working day on or before ``day``."""
        while not self.cal.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def ahead(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_workdays(day, n)

    def plan_stories(self) -> None:
        rng = self.rng
        towns = list(PLACES)
        weighted = [s for s in SCENARIOS for _ in range(s.weight)]
        sources = [
            "typical_case",
            "feedback",
            "petition",
            "self_inspection",
            "undercover",
            "monitoring",
            "enforcement",
        ]
        source_weights = [2, 3, 5, 4, 3, 2, 3]
        n = town_turn = 0
        for final, colour, count in PLAN:
            for _ in range(count):
                n += 1
                # the rarer problem types and every scenario appear early; the rest are drawn by weight
                scenario = SCENARIOS[(n - 1) % len(SCENARIOS)] if n % 3 == 0 else rng.choice(weighted)
                # 属地管理: besides the town-led kinds, a third of the others are led by the town with the
                # department cooperating; town-led problems go round every town and subdistrict in turn.
                town_led = scenario.lead == "town" or ("town" in scenario.cooperating and rng.random() < 0.35)
                if town_led:
                    town = towns[town_turn % len(towns)]
                    town_turn += 1
                else:
                    town = towns[(n * 7) % len(towns)]
                places, rivers = PLACES[town]
                source = sources[n % 7] if n <= 21 else rng.choices(sources, source_weights)[0]
                working = final not in ("registered",)
                is_key = working and colour != "long_term" and rng.random() < 0.11
                is_complex = working and not is_key and bool(scenario.joint[0]) and rng.random() < 0.3
                if colour == "long_term":
                    kind, mode = "long_term", rng.choice(["deadline", "special_plan"])
                elif (
                    not (is_key or is_complex)
                    and final in ("closed", "accepted", "publicity")
                    and rng.random() < 0.18
                    or not (is_key or is_complex)
                    and colour == "red"
                    and rng.random() < 0.15
                ):
                    kind, mode = "immediate", "immediate"
                else:
                    kind = "date"
                    mode = "special_plan" if is_key else "joint_enforcement" if is_complex else "deadline"
                story = Story(
                    n=n,
                    scenario=scenario,
                    town=town,
                    final=final,
                    colour=colour,
                    source=source,
                    mode=mode,
                    kind=kind,
                    is_key=is_key,
                    is_complex=is_complex,
                    severity=rng.choices(["general", "serious", "major"], [6, 3, 1])[0],
                    place=rng.choice(places),
                    river=rng.choice(rivers),
                    firm=rng.choice(FIRMS),
                )
                story.lead = town if town_led else scenario.lead
                story.acceptance = scenario.acceptance
                named = [
                    scenario.lead if c == "town" and town_led else town if c == "town" else c
                    for c in scenario.cooperating
                ]
                story.cooperating = [c for c in dict.fromkeys(named) if c not in (story.lead, "town")]
                if final in ("rectifying", "closed") and rng.random() < 0.04:
                    story.first_lead = "sthj" if story.lead != "sthj" else "swj"
                self.stories.append(story)
                self.plan(story)
        self.plan_notices()

    def at(self, story: Story | Track, day: dt.date, fn: Callable) -> None:
        """Schedule ``fn`` on ``day`` (not after today), after the story's earlier steps."""
        day = min(day, self.today)
        if story.events and day < story.events[-1]:
            day = story.events[-1]
        story.events.append(day)
        step = len(story.events)
        moment = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
            minutes=(story.n * 7) % 50 + step * 9
        )
        self.seq += 1
        self.events.append((moment, self.seq, fn))

    def deadline_for(self, story: Story, assigned: dt.date) -> dt.date:
        """A deadline that shows the story's warning colour today, counted like problem_assign counts it."""
        from . import deadlines

        rng, today = self.rng, self.today
        colour = story.colour
        if colour == "red":
            return max(today - dt.timedelta(days=rng.randint(2, 40)), assigned + dt.timedelta(days=10))
        if colour in ("blue", "yellow"):
            low, high = (0.56, 0.74) if colour == "blue" else (0.84, 0.95)
            for _ in range(40):
                fraction = rng.uniform(low, high)
                deadline = assigned + dt.timedelta(days=int((today - assigned).days / fraction) + 1)
                blue_on, yellow_on = deadlines.milestones(assigned, deadline, self.cal)
                if colour == "blue" and blue_on <= today < yellow_on:
                    return deadline
                if colour == "yellow" and yellow_on <= today <= deadline:
                    return deadline
            return today + dt.timedelta(days=3 if colour == "yellow" else 60)
        return today + dt.timedelta(days=rng.randint(15, 120))

    def plan(self, story: Story) -> None:
        rng, today = self.rng, self.today
        final = story.final
        # When the work ends: the request for acceptance (finished states) or today (still rectifying).
        if final == "registered":
            reg = self.wd(today - dt.timedelta(days=rng.randint(0, 20)))
            self.register(story, reg, deadline=today + dt.timedelta(days=rng.randint(20, 90)))
            return
        if final == "assigned":
            reg = self.wd(today - dt.timedelta(days=rng.randint(3, 30)))
            assigned = self.wd(min(self.ahead(reg, rng.randint(1, 3)), today))
            self.register(story, reg, deadline=assigned + dt.timedelta(days=rng.randint(30, 120)))
            self.assign(story, assigned)
            if story.is_key:
                self.at(story, min(self.ahead(assigned, 2), today), lambda: self.submit_plan(story))
            return

        if final == "rectifying" and story.colour == "objection":
            work_end = self.wd(today - dt.timedelta(days=rng.randint(26, 34)))
            assigned = self.wd(work_end - dt.timedelta(days=rng.randint(30, 60)))
        elif final == "rectifying":
            days_ago = {"red": (60, 150), "yellow": (60, 150), "blue": (25, 90)}.get(story.colour, (25, 150))
            assigned = self.wd(today - dt.timedelta(days=rng.randint(*days_ago)))
            work_end = today
        elif final == "reopened":
            assigned = self.wd(today - dt.timedelta(days=rng.randint(170, HISTORY_DAYS)))
            work_end = self.wd(assigned + dt.timedelta(days=rng.randint(35, 70)))
        else:
            done_window = {
                "completed": (1, 6),
                "accepting": (4, 12),
                "accepted": (6, 16),
                "publicity": (10, 20),
                "closed": (45, 170),
            }[final]
            work_end = self.wd(today - dt.timedelta(days=rng.randint(*done_window)))
            assigned = self.wd(work_end - dt.timedelta(days=rng.randint(20, 80)))
        reg = self.wd(assigned - dt.timedelta(days=rng.randint(1, 8)))

        if story.kind == "long_term":
            deadline = None
        elif story.kind == "immediate":
            deadline = None  # five working days from registration, set by the service
        elif final == "rectifying" and story.colour != "objection":
            deadline = self.deadline_for(story, assigned)
        else:
            late = rng.random() < 0.15
            deadline = (
                work_end - dt.timedelta(days=rng.randint(3, 20))
                if late
                else work_end + dt.timedelta(days=rng.randint(0, 40))
            )
            deadline = max(deadline, reg)
        self.register(story, reg, deadline=deadline)
        self.assign(story, assigned)
        start = self.ahead(assigned, rng.randint(1, 3))
        if story.first_lead:
            self.at(story, self.ahead(assigned, 1), lambda: self.reroute(story))
            start = self.ahead(start, 1)
        if story.is_key:
            submitted = self.ahead(assigned, 1)
            self.at(story, submitted, lambda: self.submit_plan(story))
            if rng.random() < 0.3:
                self.at(story, self.ahead(submitted, 2), lambda: self.decide_plan(story, approve=False))
                self.at(story, self.ahead(submitted, 4), lambda: self.submit_plan(story))
                submitted = self.ahead(submitted, 4)
            self.at(story, self.ahead(submitted, 2), lambda: self.decide_plan(story, approve=True))
            start = max(start, self.ahead(submitted, 3))
        start = min(start, work_end)
        self.at(story, start, lambda: self.start(story))
        measures = self.add_measures(story, start)
        if story.is_complex:
            self.at(
                story, min(self.ahead(start, rng.randint(2, 8)), work_end), lambda: self.joint_action(story)
            )
        finished = final not in ("rectifying",) or story.colour == "objection"
        if final == "rectifying" and story.colour != "objection":
            self.rectifying(story, start, measures)
            return
        self.work(story, start, work_end, measures, finished=finished)
        # the reviewer, perhaps sending it back once
        request = work_end
        self.at(story, request, lambda: self.request(story))
        if final == "completed":
            return
        review = self.ahead(request, rng.randint(1, 3))
        if final == "closed" and rng.random() < 0.12:
            self.at(story, review, lambda: self.reject(story))
            again = self.ahead(review, rng.randint(3, 6))
            self.at(story, again, lambda: self.more_work(story))
            request = self.ahead(again, 1)
            self.at(story, request, lambda: self.request(story))
            review = self.ahead(request, 1)
        self.at(story, review, lambda: self.begin_review(story))
        if final == "accepting":
            return
        accepted = self.ahead(review, rng.randint(0, 3))
        self.at(story, accepted, lambda: self.accept(story))
        if final == "accepted":
            return
        if final == "publicity":
            starts = self.wd(max(accepted, today - dt.timedelta(days=rng.randint(1, 8))))
        else:
            starts = self.ahead(accepted, rng.randint(1, 3))
        period = rng.choice(["10_workdays", "10_workdays", "2_weeks"])
        self.at(story, starts, lambda: self.publish(story, starts, period))
        if story.colour == "objection":
            self.at(story, self.ahead(starts, 3), lambda: self.objection(story, upheld=True))
            self.at(
                story, self.ahead(starts, 8), lambda: self.report(story, "behind", "异议成立，正在补充整改。")
            )
            return
        if final == "publicity":
            return
        from .services.review import publicity_end

        ends = publicity_end(starts, period)
        if rng.random() < 0.1:
            self.at(story, self.ahead(starts, 2), lambda: self.objection(story, upheld=False))
        close = self.ahead(ends, rng.randint(1, 3))
        self.at(story, close, lambda: self.close(story))
        if final == "reopened":
            reopen = self.wd(min(self.ahead(close, rng.randint(10, 40)), today - dt.timedelta(days=15)))
            self.at(story, reopen, lambda: self.reopen(story))
            self.at(
                story,
                self.ahead(reopen, 3),
                lambda: self.report(story, "on_schedule", "已重新排查反弹原因，制定整改措施。"),
            )
            self.at(story, self.ahead(reopen, 8), lambda: self.evidence(story, 0))

    def rectifying(self, story: Story, start: dt.date, measures: list[int]) -> None:
        """Still being rectified today: reports up to now, and for a few a pause or an extension."""
        rng, today = self.rng, self.today
        extra = ""
        if story.colour == "paused":
            extra = "pause"
        elif story.colour == "none" and story.kind == "date":
            extra = rng.choices(["", "extend", "pause_resume"], [8, 1, 1])[0]
        if extra == "pause_resume":
            paused = self.ahead(start, 1)
            resumed = self.ahead(paused, rng.randint(3, 8))
            self.at(story, paused, lambda: self.pause(story))
            self.at(story, resumed, lambda: self.resume(story))
            start = resumed
        until = (
            self.wd(today - dt.timedelta(days=rng.randint(2, 20))) if extra in ("pause", "extend") else today
        )
        self.work(story, start, max(until, start), measures, finished=False)
        if extra == "pause":
            self.at(story, until, lambda: self.pause(story))
        elif extra == "extend":
            self.at(story, until, lambda: self.extend(story))
            self.at(story, today, lambda: self.report(story, "on_schedule", "延期后按新的时间节点推进。"))

    def add_measures(self, story: Story, start: dt.date) -> list[int]:
        count = min(len(story.scenario.measures), self.rng.randint(1, 2))
        for i in range(count):
            self.at(story, start, lambda i=i: self.measure(story, i))
        return list(range(count))

    def work(
        self, story: Story, start: dt.date, end: dt.date, measures: list[int], *, finished: bool
    ) -> None:
        """Progress reports every one to three weeks from the start to ``end``, with photos and a document."""
        rng = self.rng
        texts = story.scenario.reports
        days = []
        day = self.ahead(start, rng.randint(3, 8))
        while day < end:
            days.append(day)
            day = self.ahead(day, rng.randint(10, 25))
        days = days[-3:]  # the latest few: the full history of every fortnight adds nothing to a demo
        if story.kind == "long_term" and story.colour == "long_term":
            stale = rng.random() < 0.4  # some have not reported for more than a month: blue
            days = [d for d in days if not stale or d < self.today - dt.timedelta(days=40)] or days[:1]
        if finished:
            days.append(end)
        statuses = self.statuses(story, len(days), finished)
        for i, (day, status) in enumerate(zip(days, statuses, strict=True)):
            last = i == len(days) - 1
            if status == "not_started":
                text = "正在开展前期摸排和方案编制，尚未进场施工。"
            else:
                text = texts[min(i * len(texts) // max(len(days), 1), len(texts) - 1)]
                if status == "behind":
                    text += "受协调及施工条件影响，进度滞后于计划。"
            self.at(story, day, lambda status=status, text=text: self.report(story, status, text))
            if (
                status != "not_started"
                and i < len(story.scenario.photos)
                and rng.random() < (0.5 if last else 0.25)
            ):
                self.at(story, day, lambda i=i: self.evidence(story, i))
            if last and finished and rng.random() < 0.35:
                self.at(story, day, lambda: self.document(story))
        if finished and not days:
            self.at(story, end, lambda: self.report(story, "completed", texts[-1]))
        if finished:
            self.at(story, end, lambda: self.evidence(story, len(story.scenario.photos) - 1, final=True))
            for m in measures:
                self.at(story, end, lambda m=m, end=end: self.complete_measure(story, m, end))

    def statuses(self, story: Story, count: int, finished: bool) -> list[str]:
        rng = self.rng
        if finished:
            middle = [rng.choice(["on_schedule", "on_schedule", "behind"]) for _ in range(max(count - 1, 0))]
            return (middle + ["completed"])[-count:] if count else []
        colour = story.colour
        if colour in ("none", "long_term", "paused"):
            return ["on_schedule"] * count
        if colour == "blue":
            last = rng.choice(["not_started", "behind"])
        elif colour == "yellow":
            last = rng.choice(["not_started", "behind", "behind"])
        else:  # red: anything, the deadline has passed
            last = rng.choice(["not_started", "behind", "on_schedule", "completed"])
        if count == 0:
            return []
        return ["on_schedule" if last != "not_started" else "not_started"] * (count - 1) + [last]

    def plan_notices(self) -> None:
        """督办单 to units whose problems are overdue or on a yellow card."""
        rng, today = self.rng, self.today
        by_unit = defaultdict(list)
        for story in self.stories:
            if story.final == "rectifying" and story.colour in ("red", "yellow"):
                by_unit[story.lead].append(story)
        units = sorted(by_unit, key=lambda code: (-len(by_unit[code]), code))[:12]
        for i, code in enumerate(units):
            stories = by_unit[code][:4]
            issued = self.wd(today - dt.timedelta(days=rng.randint(3, 16)))
            outcome = ("closed", "replied", "issued", "returned")[i % 4]
            holder = Track(900 + i)
            self.at(holder, issued, lambda code=code, stories=stories: self.issue_notice(code, stories))
            if outcome in ("closed", "replied", "returned"):
                replied = self.ahead(issued, rng.randint(1, 3))
                self.at(holder, replied, lambda code=code: self.reply_notice(code))
                if outcome == "closed":
                    self.at(holder, self.ahead(replied, 1), lambda code=code: self.close_notice(code))
                if outcome == "returned":
                    self.at(holder, self.ahead(replied, 1), lambda code=code: self.return_notice(code))

    # -- steps (each one service call, as the right person) -------------------------------------------------

    def fresh(self, story: Story):
        """The story's problem. Only the services change it, and they update the object they are given."""
        return story.problem

    def register(self, story: Story, day: dt.date, *, deadline) -> None:
        def step():
            from .services import problem_register, routing_propose

            s, sc = story, story.scenario
            title = DEMO_MARK + s.fill(sc.title)
            town_unit = self.units[s.town]
            address = f"广州市白云区{town_unit.short_name}{s.place}"
            lead_code = s.first_lead or s.lead
            lead = self.units[lead_code]
            proposal = routing_propose(
                title=title, description=s.fill(sc.description), address=address, problem_types=sc.types
            )
            registrar = self.coordinator
            if s.source == "self_inspection" and not s.first_lead:
                registrar = self.staff[lead_code]  # 自查自纠: the unit files its own finding
            fields = {
                "actor": registrar,
                "title": title,
                "source": s.source,
                "source_ref": SOURCE_REFS[s.source](self.rng, s.n, day),
                "description": s.fill(sc.description),
                "problem_types": list(sc.types),
                "severity": s.severity,
                "is_key": s.is_key,
                "is_complex": s.is_complex,
                "handling_mode": s.mode,
                "address": address,
                "cooperating_units": [self.units[c] for c in s.cooperating if c != lead_code],
                "acceptance_unit": self.units[s.acceptance],
                "supervising_unit": self.units["yingjianban"] if s.is_key else None,
                "responsible_leader": f"{lead.short_name}分管领导（演示）",
                "responsible_person": f"{self.rng.choice(SURNAMES)}某某（演示）",
                "contact_phone": f"020-0000{s.n:04d}",
                "target": s.fill(sc.target),
                "deadline_kind": s.kind,
                "deadline": deadline,
                "registered_on": day,
            }
            if proposal.town != town_unit:
                fields["town"] = town_unit
            if proposal.lead_unit == lead:
                fields["lead_unit"] = None  # the system's proposal, with its reason
            else:
                fields["lead_unit"] = lead
                fields["override_reason"] = (
                    "属地镇街牵头整治，行业部门配合"
                    if lead.kind != "department"
                    else f"按职责由{lead.short_name}牵头"
                )
            story.problem = problem_register(**fields)

        self.at(story, day, step)

    def assign(self, story: Story, day: dt.date) -> None:
        from .services import problem_assign

        self.at(story, day, lambda: problem_assign(actor=self.coordinator, problem=self.fresh(story)))

    def reroute(self, story: Story) -> None:
        from .services import problem_reroute

        problem_reroute(
            actor=self.coordinator,
            problem=self.fresh(story),
            lead_unit=self.units[story.lead],
            reason=f"经核实，该问题属{self.units[story.lead].short_name}职责范围，予以改派。",
            cooperating_units=[self.units[c] for c in story.cooperating],
        )

    def lead_staff(self, story: Story):
        return self.staff[story.lead]

    def submit_plan(self, story: Story) -> None:
        from .services import special_plan_submit

        problem = self.fresh(story)
        base = self.today if problem.deadline is None else problem.deadline
        special_plan_submit(
            actor=self.lead_staff(story),
            problem=problem,
            goals=problem.target or "按期完成整改。",
            measures="；".join(story.scenario.measures),
            milestones=[
                {"date": (base - dt.timedelta(days=30)).isoformat(), "content": story.scenario.measures[0]},
                {"date": base.isoformat(), "content": "全面完成整改并申请验收"},
            ],
        )

    def decide_plan(self, story: Story, *, approve: bool) -> None:
        from .models import SpecialPlan
        from .services import special_plan_decide

        plan = SpecialPlan.objects.filter(problem=story.problem, status="submitted").latest("pk")
        special_plan_decide(
            actor=self.coordinator,
            plan=plan,
            approve=approve,
            note="" if approve else "时间节点不够具体，请细化到月并明确责任人。",
        )

    def start(self, story: Story) -> None:
        from .services import problem_start

        problem_start(actor=self.lead_staff(story), problem=self.fresh(story))

    def measure(self, story: Story, i: int) -> None:
        from .services import measure_add

        problem = self.fresh(story)
        owner = (
            story.lead
            if i == 0 or not story.cooperating
            else story.cooperating[(i - 1) % len(story.cooperating)]
        )
        measure_add(
            actor=self.lead_staff(story),
            problem=problem,
            content=story.fill(story.scenario.measures[i]),
            owner_unit=self.units[owner],
            owner_person=f"{self.rng.choice(SURNAMES)}工（演示）",
            deadline=problem.deadline,
        )

    def complete_measure(self, story: Story, i: int, day: dt.date) -> None:
        from .services import measure_complete

        measure = self.fresh(story).measures.order_by("sort_order", "pk")[i]
        if measure.done_on is None:
            measure_complete(actor=self.lead_staff(story), measure=measure, done_on=day)

    def joint_action(self, story: Story) -> None:
        from django.utils import timezone

        from .services import joint_action_record

        findings, actions = story.scenario.joint
        units = {story.lead, *story.cooperating, "sthj"}
        joint_action_record(
            actor=self.lead_staff(story),
            problem=self.fresh(story),
            acted_on=timezone.localdate(),
            units=[self.units[c] for c in sorted(units)],
            findings=findings,
            actions=actions,
        )

    def report(self, story: Story, status: str, text: str) -> None:
        from .services import progress_report_add

        progress_report_add(
            actor=self.lead_staff(story),
            problem=self.fresh(story),
            text=story.fill(text),
            progress_status=status,
        )

    def evidence(self, story: Story, i: int, final: bool = False) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from .services import evidence_add

        problem = self.fresh(story)
        caption = story.scenario.photos[min(i, len(story.scenario.photos) - 1)]
        story.photos_taken += 1
        label = f"DEMO {problem.number} {timezone.localdate():%Y-%m-%d} #{story.photos_taken}"
        content = photo_png(self.rng, story.scenario.scene, label)
        report = problem.reports.filter(cycle=problem.cycle).order_by("-reported_on", "-pk").first()
        evidence_add(
            actor=self.lead_staff(story),
            problem=problem,
            uploaded=SimpleUploadedFile(f"{caption}.png", content),
            kind="photo",
            description=f"{caption}（第 {problem.cycle} 轮{'，整改完成后' if final else ''}）",
            report=report,
        )

    def document(self, story: Story) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from .services import evidence_add

        problem = self.fresh(story)
        name, kind = story.scenario.document
        content = simple_pdf(
            [
                "ecoinspect DEMO document - not a real record",
                f"Problem {problem.number}, cycle {problem.cycle}",
                f"Issued {timezone.localdate():%Y-%m-%d} by unit {problem.lead_unit.code}",
                f"Reference DEMO-{story.n:04d}-{self.rng.randint(1000, 9999)}",
            ]
        )
        evidence_add(
            actor=self.lead_staff(story),
            problem=problem,
            uploaded=SimpleUploadedFile(name, content),
            kind=kind,
            description=name.removesuffix(".pdf"),
        )

    def request(self, story: Story) -> None:
        from .services import problem_request_acceptance

        problem_request_acceptance(actor=self.lead_staff(story), problem=self.fresh(story))

    def reviewer(self, story: Story):
        return self.reviewers[story.acceptance]

    def begin_review(self, story: Story) -> None:
        from .services import problem_begin_review

        problem_begin_review(actor=self.reviewer(story), problem=self.fresh(story))

    def accept(self, story: Story) -> None:
        from django.utils import timezone

        from .services import problem_accept

        problem_accept(
            actor=self.reviewer(story),
            problem=self.fresh(story),
            accepted_on=timezone.localdate(),
            method=self.rng.choice(["on_site", "on_site", "documents"]),
            opinion=f"经核查，{story.fill(story.scenario.target)}整改目标已实现，佐证材料齐全，同意验收。",
        )

    def reject(self, story: Story) -> None:
        from django.utils import timezone

        from .services import problem_reject

        problem_reject(
            actor=self.reviewer(story),
            problem=self.fresh(story),
            accepted_on=timezone.localdate(),
            method="on_site",
            reason="现场核查发现整改不彻底，佐证材料不足，请补充整改后重新申请。",
        )

    def more_work(self, story: Story) -> None:
        self.report(story, "completed", "已按验收意见补充整改，问题全部解决。")
        self.evidence(story, 0, final=True)

    def publish(self, story: Story, starts: dt.date, period: str) -> None:
        from .services import publicity_start

        publicity_start(
            actor=self.publisher,
            problem=self.fresh(story),
            starts_on=starts,
            period=period,
            channel="白云区人民政府门户网站“督察整改”专栏（演示）",
            objection_phone=f"020-0000{9000 + story.n % 1000:04d}",
        )

    def objection(self, story: Story, *, upheld: bool) -> None:
        from .services import publicity_objection

        note = (
            "群众来电反映雨后仍有污水排出，经现场核实情况属实。"
            if upheld
            else "群众来电反映异味，经现场核实为相邻地块施工所致，与本问题无关。"
        )
        publicity_objection(actor=self.publisher, problem=self.fresh(story), note=note, upheld=upheld)

    def close(self, story: Story) -> None:
        from .services import problem_close

        problem_close(actor=self.publisher, problem=self.fresh(story))

    def reopen(self, story: Story) -> None:
        from django.utils import timezone

        from .services import problem_reopen

        problem_reopen(
            actor=self.coordinator,
            problem=self.fresh(story),
            reason="回头看发现问题反弹：群众再次投诉，现场核实属实。",
            new_deadline=timezone.localdate() + dt.timedelta(days=self.rng.randint(30, 90)),
        )

    def pause(self, story: Story) -> None:
        from .services import problem_pause

        problem_pause(
            actor=self.coordinator,
            problem=self.fresh(story),
            reason=self.rng.choice(
                ["涉及司法诉讼，等待法院判决", "主汛期暂停涉水施工", "等待上级部门审批用地手续"]
            ),
        )

    def resume(self, story: Story) -> None:
        from .services import problem_resume

        problem_resume(actor=self.coordinator, problem=self.fresh(story))

    def extend(self, story: Story) -> None:
        from .services import problem_extend_deadline

        problem = self.fresh(story)
        problem_extend_deadline(
            actor=self.coordinator,
            problem=problem,
            new_deadline=problem.deadline + dt.timedelta(days=self.rng.randint(20, 60)),
            reason="工程涉及管线迁改，经区督察迎检办同意延期。",
        )

    def issue_notice(self, code: str, stories: list[Story]) -> None:
        from django.utils import timezone

        from .services import notice_issue

        notice = notice_issue(
            actor=self.coordinator,
            unit=self.units[code],
            problems=[self.fresh(s) for s in stories],
            requirements="以上问题整改进度滞后，请于 5 个工作日内书面报告滞后原因、下一步措施及完成时限，并加快推进。",
            reply_due=self.ahead(timezone.localdate(), 5),
        )
        self.notices.append((code, notice))

    def _notice(self, code: str):
        from .models import SupervisionNotice

        notice = next(n for c, n in reversed(self.notices) if c == code)
        return SupervisionNotice.objects.get(pk=notice.pk)

    def reply_notice(self, code: str) -> None:
        from .services import notice_reply

        notice_reply(
            actor=self.staff[code],
            notice=self._notice(code),
            reply="已召开专题会议研究，增派施工力量，倒排工期，确保在新的时限内完成整改。",
        )

    def close_notice(self, code: str) -> None:
        from .services import notice_close

        notice_close(actor=self.coordinator, notice=self._notice(code))

    def return_notice(self, code: str) -> None:
        from .services import notice_return

        notice_return(
            actor=self.coordinator,
            notice=self._notice(code),
            reason="回复未明确完成时限和责任人，请重新回复。",
        )

    # -- running ------------------------------------------------------------------------------------------

    def run(self) -> None:
        from django.db import transaction

        self.events.sort(key=lambda e: (e[0], e[1]))
        latest = dt.datetime.now(TZ) - dt.timedelta(minutes=1)  # nothing is dated after the real now
        with simulated_clock() as clock, _relaxed_sqlite_sync():
            for _day, batch in _by_day(self.events):
                with transaction.atomic():
                    for moment, _seq, fn in batch:
                        clock.now = min(moment.replace(tzinfo=TZ), latest)
                        fn()


@contextlib.contextmanager
def _relaxed_sqlite_sync():
    """On SQLite (WAL), commit without waiting for the disk while the demo loads: each simulated day is a
    transaction and every notification sent after it commits on its own, a thousand small commits that
    would otherwise each wait for fsync. The previous setting is restored afterwards."""
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        previous = cursor.execute("PRAGMA synchronous").fetchone()[0]
        cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(previous)}")


def _by_day(events):
    current, batch = None, []
    for event in events:
        if event[0].date() != current and batch:
            yield current, batch
            batch = []
        current = event[0].date()
        batch.append(event)
    if batch:
        yield current, batch


DEMO_USERNAMES = frozenset({"coordinator", "water", "sanyuanli", "taihe", "reviewer", "publisher"})


def _already_loaded() -> bool:
    from ecoinspect.audit.models import ActionLog

    from .models import Problem

    return (
        ActionLog.objects.filter(action=LOADED_ACTION).exists()
        or Problem.objects.filter(title__startswith=DEMO_MARK).exists()
    )


def load(stdout=None, today: dt.date | None = None) -> dict:
    """Load the demo ledger unless it is there already; returns the number of problems per state."""
    from django.utils import timezone

    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append
    from ecoinspect.notifications.models import Notification
    from ecoinspect.notifications.services import notification_mark_read
    from ecoinspect.orgs.models import User

    from .models import Problem

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    if _already_loaded():
        say("整改台账演示数据已存在，未重复载入。 / The demo ledger is already loaded; nothing done.")
        return {}
    began = time.monotonic()
    loader = Loader(stdout, today)
    loader.load_people()
    loader.plan_stories()
    loader.run()
    with acting_as(None):
        week_ago = timezone.now() - dt.timedelta(days=7)
        old = Notification.objects.filter(created_at__lt=week_ago, read_at__isnull=True)
        for user in User.objects.filter(pk__in=old.values("recipient_id")):
            notification_mark_read(
                user=user, notification_ids=old.filter(recipient=user).values_list("pk", flat=True)
            )
        demo = Problem.objects.filter(title__startswith=DEMO_MARK)
        counts = dict(Counter(demo.values_list("status", flat=True)))
        counts["reopened"] = demo.filter(cycle__gt=1).count()
        action_log_append(
            action=LOADED_ACTION,
            payload={"problems": demo.count(), "by_status": counts, "today": loader.today},
        )
    say(
        f"整改台账演示数据：{demo.count()} 个问题，用时 {time.monotonic() - began:.1f} 秒。"
        f" / Demo ledger: {demo.count()} problems in {time.monotonic() - began:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    return counts
