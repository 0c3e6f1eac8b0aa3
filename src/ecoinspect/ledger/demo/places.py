"""Where the invented problems are: towns and subdistricts with their villages and rivers; firm names and
surnames for the people and businesses in them."""

from __future__ import annotations

#: town/subdistrict code → (places used in addresses, rivers and streams nearby). Place names never contain
#: another town's name nor a gazetteer place of another town, so the address resolves to the intended town
#: (tests/ledger/test_demo.py checks it against the shipped gazetteer).
PLACES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sanyuanli": (("松柏东街", "三元里大道北段", "瑶台村"), ("沙河涌",)),
    "songzhou": (("螺涌村", "西槎路沿线", "增槎路批发市场周边"), ("海口涌", "西航道")),
    "jingtai": (("广园中路", "景泰直街", "景泰涌左岸"), ("景泰涌", "沙河涌")),
    "tongde": (("田心社区", "上步村", "鹅掌坦"), ("西航道", "海口涌")),
    "huangshi": (("江夏村", "陈田村", "黄石东路"), ("新市涌", "景泰涌")),
    "tangjing": (("棠溪村", "远景路", "机场西路沿线"), ("沙河涌", "新市涌")),
    "xinshi": (("棠涌社区", "齐富路", "新市涌沿岸"), ("新市涌",)),
    "tonghe": (("蟾蜍石", "握山村", "同和路"), ("沙河涌",)),
    "jingxi": (("下塘村", "沙太路沿线", "犀牛角"), ("沙河涌",)),
    "yongping": (("东平村", "永泰村", "白云大道北沿线"), ("景泰涌", "流溪河")),
    "jiahe": (("望岗村", "长湴社区", "106国道沿线"), ("白海面涌", "流溪河")),
    "junhe": (("石马桥", "罗岗村", "清湖村"), ("白海面涌",)),
    "shijing": (("庆丰村", "石井河沿岸", "夏花二路"), ("石井河",)),
    "jinsha": (("横沙村", "沙凤村", "金沙洲大桥下"), ("西航道", "白坭河")),
    "yuncheng": (("云城西路", "白云新城", "萧岗村北"), ("新市涌",)),
    "helong": (("黄边村", "鹤龙一路", "马务村"), ("白海面涌",)),
    "baiyunhu": (("夏茅村", "大朗村", "白云湖公园周边"), ("白海面涌", "石井河")),
    "shimen": (("朝阳村", "红星村", "滘心村"), ("白坭河", "流溪河")),
    "longgui": (("南村", "夏良村", "永兴村"), ("流溪河",)),
    "dayuan": (("石湖村", "大源北路", "米龙村"), ("流溪河",)),
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
