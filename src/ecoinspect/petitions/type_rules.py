"""The problem-type rules: each sub-tag (细分标签) with its problem type and the words that show it in a
complaint — the inspectors' words and the complainants' (Cantonese and colloquial forms: 泥头渣, 臭水沟,
烧垃圾, 夜晚打桩 …) — and the words that show a type on their own. Read by :mod:`.classify`; the rules and
how they were tuned are in docs/petitions/engine.md.

A sub-tag's value is its Chinese name (stored in ``Petition.sub_tags`` and printed by ``petitions suggest``);
:data:`SUB_TAG_LABELS` gives its translatable label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# a clause: no full stop or semicolon in between
_C = r"[^。；;]"


@dataclass(frozen=True)
class Rule:
    tag: str  # the sub-tag, "" for a rule that shows only a type
    type: str | None  # a ProblemType value (None: the tag says nothing about the type, e.g. 散乱污)
    pattern: re.Pattern
    masks: bool = False  # the words it matched are not read again for the types' own words
    duty_hint: str = ""  # a 三管三必须 keyword naming the sector, for the lead department


def _r(tag, type_, pattern, *, masks=False, duty=""):
    return Rule(tag, type_, re.compile(pattern, re.IGNORECASE), masks, duty)


#: Sub-tags, in the order they are read (a masking rule hides its words from the types' own words).
SUB_TAG_RULES: tuple[Rule, ...] = (
    _r(
        "露天焚烧",
        "air",
        r"(?:焚烧|露天烧|拆烧|烧烧|烧山|烧荒|有人[^，,。；;]{0,4}(?<![炉灶])烧(?![菜饭水])|(?<![炉灶])烧(?:垃圾|电线|电缆|轮胎|塑料|废|旧|家具|秸秆|稻草|树叶|杂草|电子|皮革|边角料|纸皮|布碎|泡沫))"
        r"[^，,。；;的]{0,8}",
        masks=True,
        duty="焚烧",
    ),
    _r("黑臭水体", "water", r"黑臭|又黑又臭|发黑发臭|臭水沟|臭水涌|(?:河|涌|水体|河水|水沟|沟渠)[^，,。]{0,3}发黑", masks=True, duty="黑臭"),
    _r(
        "油烟",
        "air",
        r"油烟|(?:烧烤|大排档|烧腊|炒|煎|炸|厨房|餐馆|饭店|酒楼|食肆|面包[房店]|烤炉|食街)[^。；;]{0,8}(?:排烟|烟)|排烟(?:管|口)",
        duty="油烟",
    ),
    _r("扬尘", "air", r"扬尘|粉尘|灰尘|尘土|降尘|烟尘|沙尘|带泥(?:上路|出场)|尘土飞扬|灰(?:也|很|好|太)?(?:多|大)", duty="扬尘"),
    _r(
        "工业废气",
        "air",
        r"废气|喷漆|喷涂|喷油漆|漆雾|天那水|烟囱|VOCs?|酸雾|沥青烟|排[^，,。]{0,4}气体|胶(?:臭|水)?味|锅炉|"
        rf"(?:厂|企业|车间|工业园|公司|作坊|沥青站|搅拌站){_C}{{0,15}}(?:臭|味|刺鼻|难闻|冒[黑白]?烟|黑烟|白烟|烟尘|烟雾|废烟)",
        duty="废气",
    ),
    _r(
        "异味",
        "air",
        r"臭味|臭气|异味|恶臭|气味|刺鼻|难闻|味道|焦糊|天那水|(?:油漆|胶水?|化学|药水|沥青|油气|猪屎|粪)味|"
        r"(?:很|好|太|特别|粪|屎)臭|臭(?:到|得|不可闻|死)|酸雾|喉咙",
        duty="异味",
    ),
    _r("加油站油气", "air", r"加油站|油气回收", duty="加油站"),
    _r(
        "施工噪声",
        "noise",
        r"打桩|夜间施工|超时施工|通宵施工|炮机|电锯|电钻|"
        rf"(?:施工|工地){_C}{{0,12}}(?:噪|吵|声)|(?:噪|吵){_C}{{0,12}}(?:施工|工地)",
        duty="施工",
    ),
    _r(
        "社会生活噪声",
        "noise",
        r"广场舞|音响|KTV|酒吧|乐队|低音炮|高音喇叭|喇叭|叫卖|唱歌|跳舞|音乐|空调外机|抽风机|冷却塔|娱乐场所|社会生活噪声",
        duty="社会生活噪声",
    ),
    _r(
        "交通噪声",
        "noise",
        rf"交通噪声|高架|高速|快速路|车辆{_C}{{0,6}}噪|车流|鸣笛|装卸|火车|铁路|高铁|列车|调车|货场|(?:货车|泥头车){_C}{{0,10}}(?:噪|吵|声)|地铁{_C}{{0,4}}(?:噪|声)",
        duty="交通噪声",
    ),
    _r(
        "工业噪声",
        "noise",
        rf"冲床|冲压|切割|打磨|粉碎机|空压机|风机声|机器声|机器(?:噪|吵)|设备噪|开机器|"
        rf"(?:厂|车间|作坊|企业|公司|回收场|加工场){_C}{{0,15}}(?:噪|吵|声音)",
        duty="工厂噪声",
    ),
    _r(
        "污水直排",
        "water",
        r"(?<!烟)(?<!气)直排|偷排|排污|暗管|(?:污水|废水|黑水|粪水)[^，,。]{0,4}(?:流出|排出)|排出[^，,。]{0,4}(?:污水|废水|黑水)|倒[^，,。]{0,4}(?:废水|污水)|(?<![烟气直])排(?:入|进|到)|往[^，,。]{0,8}(?:排放?|倒|冲)(?![烟气])|污水横流|排放污水|排污口|污水口|排水口|污水冒|"
        r"(?:水|污物|粪|废液)[^，,。]{0,6}(?:排|流|冲|倒|漏)(?:入|进|到)|(?:污水|粪水|废水)[^，,。]{0,4}(?:溢|冒)|"
        r"(?:排|冲|倒)(?:入|进|到)[^，,。]{0,6}(?:河|涌|沟|渠|塘|管网|雨水|下水道|水库|江|湖)",
        duty="直排",
    ),
    _r(
        "河涌污染",
        "water",
        r"河涌|[\u4e00-\u9fff]?涌(?!现|入)|(?:河|江|河道|水库|支流)[^，,。]{0,6}(?:污染|变色|死鱼|油污|发黑|泡沫|颜色)|"
        r"流入[^，,。]{0,4}河|(?:排|倒|冲|流)(?:入|进|到)[^，,。]{0,4}(?:河|江)|小河|河里|河沟|(?:河面|河水|涌水)[^，,。]{0,6}(?:蓝|绿|红|变色|油污|泡沫|死鱼)",
        duty="河涌",
    ),
    _r(
        "工业废水",
        "water",
        rf"工业废水|电镀(?!污泥)|洗涤厂|洗水[^，,。]{0,8}废水|含油废水|(?:厂|企业|工业园){_C}{{0,12}}(?:废水|排污)|废水{_C}{{0,6}}(?:厂|企业)",
        duty="工业废水",
    ),
    _r("饮用水源", "water", r"饮用水|水源保护区|水源地", duty="水源"),
    _r("危险废物", "solid_waste", r"危险废物|危废|废机油|废油桶|废矿物油|废酸|电镀污泥|化工废渣|医疗废物|针头|废(?:旧)?电池|油桶", duty="危险废物"),
    _r("建筑垃圾", "solid_waste", r"建筑垃圾|余泥|渣土|泥头渣|装修垃圾|建筑废弃物|废砖|碎砖", duty="建筑垃圾"),
    _r(
        "非法倾倒",
        "solid_waste",
        r"倾倒|偷倒|乱倒|倒满|被倒|来倒|倒入|倒了|地倒|车倒|去倒|倒泥头渣",
        duty="非法倾倒",
    ),
    _r(
        "生活垃圾",
        "solid_waste",
        r"生活垃圾|垃圾桶|垃圾站|中转站|转运站|压缩站|收集站|垃圾堆|(?<!建筑)(?<!装修)(?<!工业)(?<!电子)(?<!医疗)垃圾",
        duty="垃圾",
    ),
    _r("填埋", "solid_waste", r"填埋|掩埋|埋(?:垃圾|废)", duty="垃圾"),
    _r("采砂", "ecology", r"采砂|抽砂|抽沙|挖沙|挖砂|河砂|河沙|沙场|采砂船|堆砂|洗砂", duty="采砂"),
    _r(
        "毁林/占用林地",
        "ecology",
        r"毁林|砍伐|砍树|烧山|占用林地|植被破坏|种果树|(?:林木|山林|树木|林地)[^，,。]{0,6}(?:砍|破坏|毁|占用|挖|烧)",
        duty="毁林",
    ),
    _r("挖山取土", "ecology", r"挖山|取土|挖土|卖泥|挖泥|取泥|山体被挖|推土机[^，,。]{0,4}挖|平整土地|开山|劈山|采石", duty="取土"),
    _r(
        "畜禽养殖",
        "agriculture",
        r"畜禽|养猪|猪场|养鸡|鸡场|养鸭|鸭场|养鹅|鹅场|养牛|牛场|养殖场|猪粪|鸡粪|鸭粪|牛粪|猪屎|生猪|猪只",
        duty="畜禽",
    ),
    _r("水产养殖", "agriculture", r"鱼塘[^。]{0,15}(?:死|鱼大量)|养鱼|水产养殖", duty="鱼塘"),
    _r("土壤污染", "soil", r"土壤|重金属|农田被污染|污染农田|渗入地[面下]|渗进地[面下]|地面被污染", duty=""),
    _r("辐射/基站", "radiation", r"辐射|基站|信号塔|电磁|变电站|发射塔|高压线", duty=""),
    _r("散乱污", None, r"散乱污", duty="散乱污"),
)

#: Words that show a type on their own (read after the sub-tags, outside the masked words).
TYPE_RULES: tuple[Rule, ...] = (
    _r("", "air", r"废气|尾气|粉尘|(?<!香)烟(?!花)|气味|臭气|臭味|异味|大气|空气"),
    _r("", "water", r"废水|污水|河涌|水沟|河水|水体|水质|排水|水渠|渠水|下水道|雨水|积水|涌水|黑水|鱼塘|泔水|水污染"),
    _r("", "noise", r"噪|吵|声音|声很|(?:机器|施工|鸣笛|音乐)声|大声|分贝"),
    _r("", "solid_waste", r"垃圾|固废|固体废物|废渣|废料|污泥|边角料|废品|危险废物"),
    _r("", "ecology", r"生态|植被|湿地|林地|山林|砍伐|采砂"),
    _r("", "agriculture", r"养殖|畜禽|农药|化肥|秸秆"),
    _r("", "soil", r"土壤|重金属"),
    _r("", "marine", r"海域|海水|近岸海|海洋|入海|海滩|红树林"),
    _r("", "radiation", r"辐射|电磁"),
    _r("", "other", r"光污染|灯光|光照"),
)

SUB_TAG_LABELS = {
    "露天焚烧": _("露天焚烧"),
    "黑臭水体": _("黑臭水体"),
    "油烟": _("油烟"),
    "扬尘": _("扬尘"),
    "工业废气": _("工业废气"),
    "异味": _("异味"),
    "加油站油气": _("加油站油气"),
    "施工噪声": _("施工噪声"),
    "社会生活噪声": _("社会生活噪声"),
    "交通噪声": _("交通噪声"),
    "工业噪声": _("工业噪声"),
    "污水直排": _("污水直排"),
    "河涌污染": _("河涌污染"),
    "工业废水": _("工业废水"),
    "饮用水源": _("饮用水源"),
    "危险废物": _("危险废物"),
    "建筑垃圾": _("建筑垃圾"),
    "非法倾倒": _("非法倾倒"),
    "生活垃圾": _("生活垃圾"),
    "填埋": _("填埋"),
    "采砂": _("采砂"),
    "毁林/占用林地": _("毁林/占用林地"),
    "挖山取土": _("挖山取土"),
    "畜禽养殖": _("畜禽养殖"),
    "水产养殖": _("水产养殖"),
    "土壤污染": _("土壤污染"),
    "辐射/基站": _("辐射/基站"),
    "散乱污": _("散乱污"),
}
SUB_TAGS = tuple(r.tag for r in SUB_TAG_RULES)
assert set(SUB_TAGS) == set(SUB_TAG_LABELS)

#: Published labels that name no single type (综合类: several types) — the text decides.
MIXED_LABELS = re.compile(r"^(?:综合|综合类|综合污染|多种污染|涉多个污染类型)")
