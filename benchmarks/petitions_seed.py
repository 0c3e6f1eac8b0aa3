"""Generated petition cases for the engine's performance benchmark (petitions_bench.py): complaints in the
style of published Baiyun rows, from templates — real places of the gazetteer (orgs/data/places.csv) with
their towns, invented facility names and roads, each problem said in several ways (inspectors' words and
colloquial ones). Deterministic (seeded). Not real cases; never shown as such.

``earlier(n)`` gives n stored cases; ``batch(n, earlier, repeats=k)`` a batch of n new cases, k of them
paraphrases of stored ones (same place, same facility, same problem, other words) — the repeats the search
must find.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

PLACES_CSV = Path(__file__).resolve().parents[1] / "src" / "ecoinspect" / "orgs" / "data" / "places.csv"
TOWN_NAMES = {
    "sanyuanli": "三元里街道", "songzhou": "松洲街道", "jingtai": "景泰街道", "tongde": "同德街道", "huangshi": "黄石街道",
    "tangjing": "棠景街道", "xinshi": "新市街道", "tonghe": "同和街道", "jingxi": "京溪街道", "yongping": "永平街道",
    "jiahe": "嘉禾街道", "junhe": "均禾街道", "shijing": "石井街道", "jinsha": "金沙街道", "yuncheng": "云城街道",
    "helong": "鹤龙街道", "baiyunhu": "白云湖街道", "shimen": "石门街道", "longgui": "龙归街道", "dayuan": "大源街道",
    "jianggao": "江高镇", "renhe": "人和镇", "taihe": "太和镇", "zhongluotan": "钟落潭镇",
}
BRANDS = [
    "鸿达", "宏盛", "永兴", "恒昌", "金利", "新丰", "华强", "德发", "利源", "广源", "顺达", "天成", "富华", "盛世", "联兴",
    "鑫旺", "汇丰", "宝业", "荣发", "建兴", "东升", "祥和", "嘉信", "振华", "兴隆",
]
ROADS = ["石井大道", "广州大道北", "白云大道北", "机场路", "广花公路", "太和中路", "钟太路", "江人二路", "增槎路", "同泰路"]

# (problem, published label, facility kinds, ways of saying it)
PROBLEMS = [
    ("spray", "大气", ["家具厂", "五金厂", "汽修厂", "喷涂厂"], [
        "{f}喷漆没有废气处理设施，油漆味很刺鼻",
        "{f}每天喷油漆，天那水味熏得人头痛",
        "{f}露天喷漆，漆雾飘到居民楼",
        "{f}喷涂废气直排，晚上气味更大",
    ]),
    ("odour", "大气", ["塑料厂", "皮革厂", "饲料厂", "橡胶厂"], [
        "{f}排放刺鼻臭气，附近居民头晕",
        "{f}生产时有很大的异味，晚上尤其严重",
        "{f}的气味很难闻，窗都不敢开",
        "{f}排放臭气扰民，多次反映未解决",
    ]),
    ("fume", "大气", ["大排档", "烧烤店", "餐馆", "烧腊店"], [
        "{f}油烟直排，没有净化设施",
        "{f}的排烟管对着住户窗口，油烟很大",
        "{f}晚上炒菜油烟熏到楼上",
        "{f}油烟扰民，楼上不敢开窗",
    ]),
    ("dust", "大气", ["工地", "搅拌站", "沙石场", "物流园"], [
        "{f}扬尘很大，没有洒水降尘",
        "{f}泥头车带泥上路，尘土飞扬",
        "{f}粉尘到处飞，车辆都是灰",
        "{f}没有围蔽，灰尘很大",
    ]),
    ("burn", "大气", ["空地", "废品站", "回收点", "菜地"], [
        "{f}有人露天焚烧垃圾，黑烟滚滚",
        "{f}经常有人烧电线和塑料，气味刺鼻",
        "{f}晚上有人烧垃圾，烟很大很臭",
        "{f}有人焚烧废旧家具，浓烟呛人",
    ]),
    ("night_build", "噪声", ["工地", "地铁工地", "建筑工地", "项目工地"], [
        "{f}夜间打桩，晚上十二点还在施工",
        "{f}夜晚打桩施工，吵得睡不着",
        "{f}通宵施工，电锯声很大",
        "{f}晚上用炮机破碎，噪音扰民",
    ]),
    ("ktv", "噪声", ["KTV", "酒吧", "广场", "健身房"], [
        "{f}每晚音响很大声，吵到凌晨",
        "{f}音乐声太大，晚上十点后还很吵",
        "{f}噪音扰民，居民无法休息",
        "{f}低音炮震得楼板响，影响休息",
    ]),
    ("machine", "噪声", ["五金厂", "石材厂", "加工厂", "五金作坊"], [
        "{f}开冲床，机器声很大",
        "{f}切割打磨声音从早响到晚",
        "{f}机器噪音大，晚上也开工",
        "{f}冲压声很吵，村民受不了",
    ]),
    ("river", "水", ["河涌", "水沟", "排水渠", "小河"], [
        "{f}长期黑臭，沿岸污水直排",
        "{f}又黑又臭，有排污口一直排污",
        "{f}发黑发臭，夏天臭气熏天",
        "{f}水体黑臭，出租屋污水往里排",
    ]),
    ("effluent", "水", ["洗水厂", "电镀厂", "洗涤厂", "印染厂"], [
        "{f}偷排废水，水沟颜色发蓝",
        "{f}通过暗管排放工业废水到河涌",
        "{f}的废水直接排进下水道",
        "{f}夜间偷排污水，河水变色",
    ]),
    ("dump", "固废", ["农田", "鱼塘", "山坳", "空地"], [
        "{f}被泥头车偷倒建筑垃圾",
        "{f}晚上有泥头车来倒泥头渣，冇人管",
        "{f}堆满余泥渣土，越倒越多",
        "{f}被人倾倒装修垃圾，堆成小山",
    ]),
    ("farm", "农业农村", ["养猪场", "养鸡场", "养鸭场", "养牛场"], [
        "{f}粪水直接排进水沟，臭味很大",
        "{f}臭气熏天，粪污排入河涌",
        "{f}养了几百头，粪便乱排",
        "{f}的粪水流进鱼塘，苍蝇很多",
    ]),
    ("sand", "生态", ["流溪河段", "河道", "沙场", "河边"], [
        "{f}晚上有采砂船偷偷抽砂",
        "{f}有人非法采砂，河岸崩塌",
        "{f}挖掘机晚上挖河床采砂",
        "{f}有人偷采河砂，船声很吵",
    ]),
    ("tower", "辐射", ["楼顶", "天台", "小区旁", "学校旁"], [
        "{f}安装了通信基站，担心辐射",
        "{f}新装信号塔，居民担心电磁辐射",
        "{f}的基站离住宅太近，要求拆除",
        "{f}有移动基站，怕辐射影响健康",
    ]),
]
OPENINGS = ["反映", "群众反映：", "来电反映", "来信反映：", "投诉人反映", ""]
CLOSINGS = ["", "要求查处。", "多次投诉未解决。", "希望部门尽快处理。", "严重影响周边居民生活。", "影响休息。"]


@dataclass(frozen=True)
class Case:
    acceptance_no: str
    complaint_text: str
    region_text: str
    type_text: str
    key: tuple  # (problem, town, place, facility, road): the cases that are one complaint
    original: str = ""  # for a planted paraphrase, the stored case it repeats


def _places() -> list[tuple[str, str]]:
    rows = csv.DictReader(PLACES_CSV.open(encoding="utf-8"))
    out = []
    for row in rows:
        towns = row["town_codes"].split()
        if row["district"] == "白云区" and len(towns) == 1 and row["kind"] in ("village", "community"):
            out.append((row["name"], towns[0]))
    return out


class Generator:
    def __init__(self, seed: int = 20260512):
        self.rng = random.Random(seed)
        self.places = _places()
        self.towns = list(TOWN_NAMES)

    def _subject(self) -> tuple:
        rng = self.rng
        problem = rng.randrange(len(PROBLEMS))
        kinds = PROBLEMS[problem][2]
        if rng.random() < 0.7:
            place, town = rng.choice(self.places)
        else:
            town, place = rng.choice(self.towns), ""
        facility = rng.choice(kinds)
        brand = rng.choice(BRANDS) if facility.endswith(("厂", "店", "场", "站")) and rng.random() < 0.5 else ""
        road = f"{rng.choice(ROADS)}{rng.randrange(1, 999)}号" if rng.random() < 0.15 else ""
        return (problem, town, place, brand + facility, road)

    def _text(self, subject, *, way: int | None = None) -> str:
        rng = self.rng
        problem, town, place, facility, road = subject
        ways = PROBLEMS[problem][3]
        said = ways[rng.randrange(len(ways)) if way is None else way % len(ways)]
        where = TOWN_NAMES[town] if (not place or rng.random() < 0.6) else ""
        where += place + (rng.choice(["附近", "一带", "旁边", ""]) if place else rng.choice(["某村", "某小区旁", "某处"]))
        if road:
            where += road
        det = rng.choice(["一家", "有家", "那个", "某", ""]) if not facility.startswith(("河", "水", "排", "小河", "流", "农", "鱼", "山", "空", "楼", "天", "学")) else ""
        return f"{rng.choice(OPENINGS)}{where}{det}{said.format(f=facility)}，{rng.choice(CLOSINGS)}".rstrip("，")

    def earlier(self, n: int, *, prefix: str = "S") -> list[Case]:
        out = []
        for i in range(n):
            subject = self._subject()
            out.append(
                Case(f"{prefix}{i:07d}", self._text(subject), "广州市白云区", PROBLEMS[subject[0]][1], subject)
            )
        return out

    def batch(self, n: int, earlier: list[Case], *, repeats: int, prefix: str = "D3GD20260601") -> list[Case]:
        """n new cases, ``repeats`` of them the same complaint as a stored case (in other words)."""
        out = []
        originals = self.rng.sample(earlier, repeats)
        for i in range(n):
            if i < repeats:
                orig = originals[i]
                text = self._text(orig.key, way=self.rng.randrange(4))
                while text == orig.complaint_text:
                    text = self._text(orig.key)
                out.append(Case(f"{prefix}{i:04d}", text, "广州市白云区", orig.type_text, orig.key, orig.acceptance_no))
            else:
                subject = self._subject()
                out.append(Case(f"{prefix}{i:04d}", self._text(subject), "广州市白云区", PROBLEMS[subject[0]][1], subject))
        self.rng.shuffle(out)
        return out
