"""GB 3838-2002 Table 1 (24 basic items, classes I–V) and the vocabulary around it.

Values follow /work/shared/STANDARDS.md §3.1 item by item. Limits are in mg/L except water temperature
(℃), pH (dimensionless) and fecal coliform (个/L). Nothing here computes; water.py and cwqi.py do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Class codes 1..6 (6 = 劣Ⅴ类, worse than class V); 0 = not assessed / no value.
CLASS_LABELS: tuple[str, ...] = ("", "Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类")
WORSE_THAN_V = 6
CLASS_III = 3

# 2011 assessment method: qualitative rating of one section by its class (STANDARDS.md §3.3).
RATINGS_ZH: tuple[str, ...] = ("", "优", "优", "良好", "轻度污染", "中度污染", "重度污染")
RATINGS_EN: tuple[str, ...] = ("", "excellent", "excellent", "good", "lightly polluted",
                               "moderately polluted", "heavily polluted")
# Display colours are [M] in STANDARDS.md; kept as data only, never used in a rule.
RATING_COLOURS: tuple[str, ...] = ("", "blue", "blue", "green", "yellow", "orange", "red")

LE = "le"        # meets class k when C <= limit_k
GE = "ge"        # dissolved oxygen: meets class k when C >= limit_k
RANGE = "range"  # pH: 6..9 for every class
NONE = "none"    # water temperature: never classified


@dataclass(frozen=True)
class Item:
    key: str                      # canonical column name
    zh: str                       # name as written in official bulletins
    unit: str
    direction: str
    limits: tuple[float, ...]     # classes I..V (rivers); empty for temperature
    lake_limits: tuple[float, ...] | None = None  # TP in lakes/reservoirs
    assessed: bool = True         # enters the class (2011 method: not temperature, TN, fecal coliform)
    multiple: bool = True         # gets an exceedance multiple against class III
    plausible_min: float = 0.0    # below: the value is an error (negative concentrations)
    plausible_max: float = float("inf")  # above: the value is an error ("check the unit")
    ug_suspect: bool = False      # often reported in µg/L: a column far above class V is a unit mistake


# plausible_max values are a project convention (not from the standard): concentrations no surface-water
# sample reaches, even untreated sewage; a value above one is a unit or typing mistake.
ITEMS: tuple[Item, ...] = (
    Item("temperature", "水温", "℃", NONE, (), assessed=False, multiple=False,
         plausible_min=-2.0, plausible_max=45.0),
    Item("ph", "pH值", "无量纲", RANGE, (6.0, 9.0), multiple=False, plausible_max=14.0),
    Item("do", "溶解氧", "mg/L", GE, (7.5, 6.0, 5.0, 3.0, 2.0), multiple=False, plausible_max=25.0),
    Item("codmn", "高锰酸盐指数", "mg/L", LE, (2.0, 4.0, 6.0, 10.0, 15.0), plausible_max=500.0),
    Item("cod", "化学需氧量", "mg/L", LE, (15.0, 15.0, 20.0, 30.0, 40.0), plausible_max=5000.0),
    Item("bod5", "五日生化需氧量", "mg/L", LE, (3.0, 3.0, 4.0, 6.0, 10.0), plausible_max=2000.0),
    Item("nh3_n", "氨氮", "mg/L", LE, (0.15, 0.5, 1.0, 1.5, 2.0), plausible_max=300.0),
    Item("tp", "总磷", "mg/L", LE, (0.02, 0.1, 0.2, 0.3, 0.4), lake_limits=(0.01, 0.025, 0.05, 0.1, 0.2),
         plausible_max=50.0),
    Item("tn", "总氮", "mg/L", LE, (0.2, 0.5, 1.0, 1.5, 2.0), assessed=False, plausible_max=400.0),
    Item("cu", "铜", "mg/L", LE, (0.01, 1.0, 1.0, 1.0, 1.0), plausible_max=100.0, ug_suspect=True),
    Item("zn", "锌", "mg/L", LE, (0.05, 1.0, 1.0, 2.0, 2.0), plausible_max=100.0, ug_suspect=True),
    Item("fluoride", "氟化物", "mg/L", LE, (1.0, 1.0, 1.0, 1.5, 1.5), plausible_max=100.0),
    Item("se", "硒", "mg/L", LE, (0.01, 0.01, 0.01, 0.02, 0.02), plausible_max=10.0, ug_suspect=True),
    Item("as", "砷", "mg/L", LE, (0.05, 0.05, 0.05, 0.1, 0.1), plausible_max=10.0, ug_suspect=True),
    Item("hg", "汞", "mg/L", LE, (0.00005, 0.00005, 0.0001, 0.001, 0.001), plausible_max=1.0,
         ug_suspect=True),
    Item("cd", "镉", "mg/L", LE, (0.001, 0.005, 0.005, 0.005, 0.01), plausible_max=10.0, ug_suspect=True),
    Item("cr6", "铬(六价)", "mg/L", LE, (0.01, 0.05, 0.05, 0.05, 0.1), plausible_max=10.0, ug_suspect=True),
    Item("pb", "铅", "mg/L", LE, (0.01, 0.01, 0.05, 0.05, 0.1), plausible_max=10.0, ug_suspect=True),
    Item("cn", "氰化物", "mg/L", LE, (0.005, 0.05, 0.2, 0.2, 0.2), plausible_max=10.0, ug_suspect=True),
    Item("phenol", "挥发酚", "mg/L", LE, (0.002, 0.002, 0.005, 0.01, 0.1), plausible_max=100.0,
         ug_suspect=True),
    Item("petroleum", "石油类", "mg/L", LE, (0.05, 0.05, 0.05, 0.5, 1.0), plausible_max=1000.0),
    Item("las", "阴离子表面活性剂", "mg/L", LE, (0.2, 0.2, 0.2, 0.3, 0.3), plausible_max=500.0),
    Item("sulfide", "硫化物", "mg/L", LE, (0.05, 0.1, 0.2, 0.5, 1.0), plausible_max=200.0),
    Item("fecal_coliform", "粪大肠菌群", "个/L", LE, (200.0, 2000.0, 10000.0, 20000.0, 40000.0),
         assessed=False, plausible_max=1e11),
)
ITEM_BY_KEY: dict[str, Item] = {item.key: item for item in ITEMS}
ITEM_KEYS: tuple[str, ...] = tuple(ITEM_BY_KEY)
# The 21 items of the 2011 assessment method and of CWQI (Table 1 minus temperature, TN, fecal coliform).
ASSESSED_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS if item.assessed)

# Main-pollutant priority (2011 method: "当氰化物或铅、铬等重金属超标时，优先作为主要污染指标") [M]:
# cyanide and the metals of Table 1 (arsenic included as in Chinese usage, selenium — a non-metal — not).
DEFAULT_PRIORITY_ITEMS: tuple[str, ...] = ("cn", "hg", "cd", "cr6", "pb", "as", "cu", "zn")

_ALIASES: dict[str, tuple[str, ...]] = {
    "temperature": ("water_temperature", "temp", "wt", "水温", "温度"),
    "ph": ("ph值", "ph_value"),
    "do": ("dissolved_oxygen", "溶解氧"),
    "codmn": ("cod_mn", "permanganate_index", "permanganate", "高锰酸盐指数", "高锰酸钾指数"),
    "cod": ("codcr", "cod_cr", "chemical_oxygen_demand", "化学需氧量"),
    "bod5": ("bod", "bod_5", "bod₅", "五日生化需氧量", "生化需氧量"),
    "nh3_n": ("nh3n", "nh3", "nh4_n", "ammonia_nitrogen", "ammonia", "氨氮"),
    "tp": ("total_phosphorus", "总磷"),
    "tn": ("total_nitrogen", "总氮"),
    "cu": ("copper", "铜"),
    "zn": ("zinc", "锌"),
    "fluoride": ("f", "氟化物"),
    "se": ("selenium", "硒"),
    "as": ("arsenic", "砷"),
    "hg": ("mercury", "汞"),
    "cd": ("cadmium", "镉"),
    "cr6": ("cr6+", "cr_6", "cr(vi)", "cr_vi", "crvi", "chromium_vi", "hexavalent_chromium",
            "铬(六价)", "六价铬", "铬六价"),
    "pb": ("lead", "铅"),
    "cn": ("cyanide", "氰化物"),
    "phenol": ("volatile_phenol", "volatile_phenols", "phenols", "挥发酚"),
    "petroleum": ("oil", "petroleum_oil", "oils", "石油类"),
    "las": ("anionic_surfactant", "anionic_surfactants", "阴离子表面活性剂"),
    "sulfide": ("sulphide", "硫化物"),
    "fecal_coliform": ("faecal_coliform", "fecal_coliforms", "粪大肠菌群"),
}

# Non-item columns with a meaning (section metadata).
META_ALIASES: dict[str, tuple[str, ...]] = {
    "section": ("section", "section_name", "site", "station", "断面", "断面名称", "点位", "点位名称",
                "监测断面"),
    "river": ("river", "river_name", "waterbody", "河流", "河流名称", "河涌", "河涌名称", "所在河流", "水体",
              "湖库", "湖库名称"),
    "parent_river": ("parent_river", "parent", "上级河流", "干流", "所属干流", "汇入河流"),
    "district": ("district", "区", "行政区", "辖区", "所属区", "区域"),
    "time": ("time", "date", "datetime", "sampling_time", "sample_time", "sampling_date", "时间", "日期",
             "采样时间", "采样日期", "监测时间", "监测日期"),
    "type": ("type", "water_type", "类型", "水体类型", "断面类型"),
    "target_class": ("target_class", "target", "水质目标", "目标", "目标类别", "目标水质", "水质目标类别"),
}
# Columns accepted and carried along untouched: parameters monitored but outside Table 1, identifiers.
PASSTHROUGH_ALIASES: tuple[str, ...] = (
    "id", "code", "section_code", "编号", "断面编码", "断面代码", "remark", "note", "notes", "备注",
    "conductivity", "电导率", "turbidity", "浊度", "chlorophyll_a", "chla", "叶绿素a", "transparency",
    "secchi_depth", "透明度", "flow", "流量", "longitude", "latitude", "经度", "纬度", "city", "城市",
    "province", "省份", "town", "镇街", "level", "断面级别", "断面属性",
)

WATER_TYPES: dict[str, str] = {
    "river": "river", "河流": "river", "河": "river", "河涌": "river", "r": "river",
    "lake": "lake", "reservoir": "lake", "lake/reservoir": "lake", "湖泊": "lake", "湖": "lake",
    "水库": "lake", "湖库": "lake", "l": "lake",
}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "ⅰ": 1, "ⅱ": 2, "ⅲ": 3, "ⅳ": 4, "ⅴ": 5,
          "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
# Accepted spellings of a target class (I–V): "Ⅲ", "III", "3", "Ⅲ类", "III类", "ⅲ类" …
TARGET_CLASS_SPELLINGS: dict[str, int] = {
    **_ROMAN, **{f"{k}类": v for k, v in _ROMAN.items()}, **{f"class {k}": v for k, v in _ROMAN.items()},
}

# Units accepted in a header such as "氨氮(mg/L)" or "Pb [µg/L]": factor to the table's unit.
UNIT_FACTORS: dict[str, float] = {
    "mg/l": 1.0, "毫克/升": 1.0, "µg/l": 0.001, "μg/l": 0.001, "ug/l": 0.001, "微克/升": 0.001,
}
COLIFORM_UNIT_FACTORS: dict[str, float] = {
    "个/l": 1.0, "mpn/l": 1.0, "cfu/l": 1.0, "个/100ml": 10.0, "mpn/100ml": 10.0, "cfu/100ml": 10.0,
}
OTHER_UNITS: dict[str, tuple[str, ...]] = {"temperature": ("℃", "°c", "c", "摄氏度"), "ph": ("无量纲", "-", "")}


def normalise_name(name: str) -> str:
    """Lower case, full-width brackets and spaces folded, '-'/' ' → '_' (header matching only)."""
    text = name.strip().lower().translate(str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]",
                                                          "　": " ", "－": "-", "／": "/"}))
    text = re.sub(r"[\s\-]+", "_", text)
    return text.strip("_")


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, aliases in _ALIASES.items():
        for alias in (key, *aliases):
            table[normalise_name(alias)] = key
    return table


ITEM_ALIASES: dict[str, str] = _alias_table()
META_ALIAS_TABLE: dict[str, str] = {normalise_name(a): k for k, aliases in META_ALIASES.items() for a in aliases}
PASSTHROUGH_NAMES: frozenset[str] = frozenset(normalise_name(a) for a in PASSTHROUGH_ALIASES)

_UNIT_SUFFIX = re.compile(r"^(?P<name>.+?)_?[(\[](?P<unit>[^()\[\]]*)[)\]]$")


def resolve_item_header(header: str) -> tuple[str, float] | None:
    """Map a header to (item key, factor to mg/L or 个/L), or None if it names no Table-1 item.

    Raises ValueError (message for the user) when the header names an item with a unit we cannot use.
    """
    norm = normalise_name(header)
    if norm in ITEM_ALIASES:
        return ITEM_ALIASES[norm], 1.0
    match = _UNIT_SUFFIX.match(norm)
    if not match or match["name"].strip("_") not in ITEM_ALIASES:
        return None
    key = ITEM_ALIASES[match["name"].strip("_")]
    unit = match["unit"].replace(" ", "").replace("_", "")
    if key == "fecal_coliform":
        factors = COLIFORM_UNIT_FACTORS
    elif key in OTHER_UNITS:
        factors = dict.fromkeys(OTHER_UNITS[key], 1.0)
    else:
        factors = UNIT_FACTORS
    if unit not in factors:
        raise ValueError(unit)
    return key, factors[unit]
