"""Masking personal data in the texts of a disclosure table, as the published tables do.

Pure functions (no database, no Django): :func:`find` returns every masking as a :class:`Span` — where it
is in the original text, what kind it is, the original and its replacement — so a preview can show each
one; :func:`apply` writes the masked text; :func:`mask` does both.

What is masked, and how (docs/petitions/disclosure.md):

* personal names — a full name after a word that introduces a person (举报人、投诉人、业主、村民、联系人、
  负责人、镇长…) or before 先生/女士/小姐 becomes the surname and 某: 举报人张伟 → 举报人张某,
  张伟先生 → 张先生. A surname alone (张先生, 李女士, 王某某) already shows no more and is left as it is;
* phone numbers — mobile 13812345678 → 138****5678; landline with its area code 020-86195182 →
  020-****5182; a number written after 电话/手机/联系方式 keeps only its last four digits;
* ID numbers (18 digits, the last may be X) → 4401**********123X;
* vehicle plates → the province and issuing letter, the last character: 粤A12345 → 粤A****5,
  粤A·D12345 → 粤A·*****5;
* exact house numbers — the address is kept to the road and building: 机场路12号5栋1203房 →
  机场路12号5栋**房; a house in a village lane (3巷12号, 8队5号) → 3巷**号; 门牌号 values;
* e-mail addresses and QQ/微信 accounts.

Road numbers (白云大道北1号), buildings (5栋, 1号楼), company names and place names are not masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "name"
PHONE = "phone"
ID_NUMBER = "id_number"
PLATE = "plate"
ADDRESS = "address"
CONTACT = "contact"
KINDS = (NAME, PHONE, ID_NUMBER, PLATE, ADDRESS, CONTACT)


@dataclass(frozen=True)
class Span:
    """One masking: ``text[start:end]`` (the ``original``) is replaced by ``replacement``."""

    start: int
    end: int
    kind: str
    original: str
    replacement: str

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "original": self.original,
            "replacement": self.replacement,
        }


# --- names --------------------------------------------------------------------------------------


def _listed(text: str) -> list[str]:
    """The words of a space-separated list (the lists below read better as Chinese text)."""
    return text.split()


#: Compound surnames first: 欧阳 must not be read as 欧 + a given name 阳.
COMPOUND_SURNAMES = _listed(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 南宫 西门 独孤 轩辕 钟离 "
    "澹台 公冶 太史 申屠 闻人 呼延 万俟"
)
#: The common single-character surnames (Guangdong's most frequent first).
SURNAMES = set(
    "陈李黄张梁林刘吴罗何郑杨谢郭邓冯叶曾蔡苏周许潘钟卢朱赖彭余谭方伍邱廖马胡徐欧江黎莫关麦温戴高孙王赵"
    "钱冯韩唐沈董程袁于吕魏蒋田杜丁姜范傅萧肖曹严汪陆石金任姚熊崔贾夏汤邹孟秦阎薛侯雷龙段郝孔邵史毛常万顾"
    "赖武康贺尹易龚白邢施牛洪柳殷翟倪安甘骆符庞莫钟颜巫简韦凌植利霍谷区古冼岑卓庄涂聂游鲁宋宁柯占池"
    "阮蓝全詹包翁刁盘伦丘饶揭纪车黎文祝滕连耿尤覃童单佘向和由经"
)
#: Surnames that are also function words (向, 于, 和, 由, 经): before another surname they are the word.
FUNCTION_SURNAMES = set("向于和由经")
#: Words that name a person by role; a full name right after one of them is masked. After the "strong"
#: ones a name is expected (镇长陈大文约谈…: two characters are taken even when no word boundary follows);
#: after the others (居民、村民…, often followed by a verb) only a name ending at a clear boundary.
STRONG_PERSON_WORDS = _listed(
    "举报人 投诉人 反映人 信访人 来电人 来信人 举报者 当事人 联系人 法定代表人 法人代表 实际控制人 承包人 "
    "承租人 姓名 名叫 镇长 副镇长 主任 副主任 局长 副局长 书记 副书记 科长 所长 站长 队长 组长 经理 厂长 村长"
)
WEAK_PERSON_WORDS = _listed("业主 村民 居民 住户 租户 市民 户主 负责人 经营者 老板")
PERSON_WORDS = STRONG_PERSON_WORDS + WEAK_PERSON_WORDS
HONORIFICS = ("先生", "女士", "小姐")
#: A given name never is one of these (they are titles or kinship words: 张先生, 李老伯, 黄某).
NOT_GIVEN = set(
    _listed(
        "先生 女士 小姐 老板 师傅 阿姨 大爷 大妈 大姐 大哥 老师 同志 老伯 老人 伯伯 叔叔 婆婆 姐姐 哥哥 总 伯 叔 姨 婆 公 "
        "姐 哥 弟 妹 嫂 氏 姓 家"
    )
)
#: Characters that are not in a given name but start the words after it (and place-name endings).
NOT_IN_GIVEN = set(
    "某的等在于与及内外里边旁附近周楼房区域处面们都也还就又被把将已反投举称说要对向从到为是无不"
    "这那之所以因此但而且或村镇街路道巷区县市湖河涌坑塘岗园苑庄厂场站港桥年月日时受遭期间均多少全每个些"
)
#: Ordinary words that begin with a surname's character (白天, 施工, 单位…): never a name.
COMMON_WORDS = set(
    _listed(
        "白天 白色 白班 黄色 高度 高层 高温 高速 高空 常年 常常 方面 方向 周边 周围 周末 夏天 夏季 秋季 冬季 金属 石材 "
        "林地 林木 车辆 车间 车位 车库 单位 单元 安全 安装 全部 全天 施工 严重 程度 温度 连续 连日 任何 文明 尤其 于是 "
        "由于 经过 经常 经营 和谐 向上 雷雨 龙头 江边 田地 田间 池塘 包装 华南 江南 何时 邻居 龙舟 宁静 康复 易燃 "
        "顾客 甘蔗 牛奶 牛棚 马路 鲁莽 洪水 柳树 骆驼 谷物 古树 庄园 卓越 游客 游泳 童年 童装"
    )
)
_STOP = (
    r"(?=$|[\s，,。．.；;、：:！!？?（()）“”\"'《》【】]|反映|投诉|举报|称|说|表示|等|先生|女士|小姐|同志|电话|"
    r"手机|联系|住|位于|在|于|的|和|与|及|向|对|要求|认为|经营|承包|租用|夫妇|一家|家|父子|母子|家属)"
)
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SURNAMES)) + "])"
_GIVEN = r"[\u4e00-\u9fff]{1,2}?"


def _words(words) -> str:
    return "(?P<word>" + "|".join(sorted(words, key=len, reverse=True)) + r")[:：\s]*(?P<surname>" + _SURNAME + ")"


_AFTER_STRONG_WORD = re.compile(_words(STRONG_PERSON_WORDS) + "(?P<given>" + _GIVEN + _STOP + r"|[\u4e00-\u9fff]{2})")
_AFTER_WEAK_WORD = re.compile(_words(WEAK_PERSON_WORDS) + "(?P<given>" + _GIVEN + ")" + _STOP)
_BEFORE_HONORIFIC = re.compile(
    "(?P<surname>" + _SURNAME + r")(?P<given>[\u4e00-\u9fff]{1,2})(?P<honorific>" + "|".join(HONORIFICS) + ")"
)


def _given_ok(surname: str, given: str) -> bool:
    return (
        bool(given)
        and given not in NOT_GIVEN
        and not (set(given) & NOT_IN_GIVEN)
        and surname + given[:1] not in COMMON_WORDS
        and surname + given not in COMMON_WORDS
    )


def _names(text: str) -> list[Span]:
    spans = []
    for m in (*_AFTER_STRONG_WORD.finditer(text), *_AFTER_WEAK_WORD.finditer(text)):
        if _given_ok(m["surname"], m["given"]):
            start, end = m.start("surname"), m.end("given")
            titled = text.startswith(HONORIFICS, end)  # 张伟先生 → 张先生, not 张某先生
            spans.append(Span(start, end, NAME, text[start:end], m["surname"] + ("" if titled else "某")))
    for m in _BEFORE_HONORIFIC.finditer(text):
        surname, given, start = m["surname"], m["given"], m.start()
        if surname in FUNCTION_SURNAMES and given[0] in SURNAMES:  # 向李先生: 向 is the word "to"
            surname, given, start = given[0], given[1:], start + 1
        if _given_ok(surname, given):
            end = m.end("given")
            spans.append(Span(start, end, NAME, text[start:end], surname))
    return spans


# --- numbers ------------------------------------------------------------------------------------

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_ID = re.compile(
    _NOT_ALNUM_BEFORE + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_MOBILE = re.compile(_NOT_ALNUM_BEFORE + r"(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?P<area>[(（]0\d{2,3}[)）]|0\d{2,3}(?=[-－—\s]?[2-9]))[-－—\s]?(?P<local>[2-9]\d{6,7})"
    r"(?P<ext>(?:[-－转]\d{1,5})?)(?!\d)"
)
_AFTER_PHONE_WORD = re.compile(
    r"(?:电话|手机|联系方式|联系电话|热线|Tel|TEL|tel)(?:号码|号)?[:：\s]*(?P<number>\d[\d\s-]{5,14}\d)(?!\d)"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])(?P<local>[A-Za-z0-9._%+-]+)@(?P<domain>[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_ACCOUNT = re.compile(
    r"(?P<word>QQ|qq|微信|微信号)(?:号码|号)?[:：\s]*(?P<account>[A-Za-z0-9][-_A-Za-z0-9]{4,19})(?![-_A-Za-z0-9])"
)
_PLATE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?P<prefix>[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][·•．.\s]?)"
    r"(?P<rest>[A-HJ-NP-Z0-9]{5,6})(?![A-Za-z0-9])"
)


def _numbers(text: str) -> list[Span]:
    spans = []
    for m in _ID.finditer(text):
        value = m.group()
        spans.append(Span(m.start(), m.end(), ID_NUMBER, value, value[:4] + "*" * 10 + value[-4:]))
    for m in _MOBILE.finditer(text):
        spans.append(Span(m.start(), m.end(), PHONE, m.group(), f"{m[1]}****{m[3]}"))
    for m in _LANDLINE.finditer(text):
        area, local = m["area"], m["local"]
        replacement = f"{area}{'' if area.endswith(('）', ')')) else '-'}****{local[-4:]}"
        spans.append(Span(m.start(), m.end(), PHONE, m.group(), replacement + ("-****" if m["ext"] else "")))
    for m in _AFTER_PHONE_WORD.finditer(text):
        digits = re.sub(r"\D", "", m["number"])
        start = m.start("number")
        spans.append(Span(start, m.end("number"), PHONE, m["number"], "*" * 4 + digits[-4:]))
    for m in _EMAIL.finditer(text):
        spans.append(Span(m.start(), m.end(), CONTACT, m.group(), f"{m['local'][0]}***@{m['domain']}"))
    for m in _ACCOUNT.finditer(text):
        start = m.start("account")
        spans.append(Span(start, m.end("account"), CONTACT, m["account"], "****"))
    for m in _PLATE.finditer(text):
        rest = m["rest"]
        if sum(c.isdigit() for c in rest) < 2:
            continue
        spans.append(Span(m.start(), m.end(), PLATE, m.group(), m["prefix"] + "*" * (len(rest) - 1) + rest[-1]))
    return spans


# --- addresses ----------------------------------------------------------------------------------

_NUM = r"[0-9０-９一二三四五六七八九十]+"
#: Unit, floor and room below a building: 2单元1203房, 12楼1203室, 3-502房, 502号房.
_ROOM = re.compile(
    r"(?<![0-9０-９A-Za-z])(?P<value>(?:" + _NUM + r"单元)?(?:" + _NUM + r"[楼层])?(?:[A-Za-z]?\d+-)?"
    r"[A-Za-z]?[0-9０-９]+[A-Za-z]?(?:号房|房|室))(?![0-9]*[厅卫])"
)
#: A room number straight after the building: 5栋502, B座1203.
_ROOM_AFTER_BUILDING = re.compile(
    r"(?<=[栋幢座])(?P<value>[0-9]{3,4})(?![0-9号栋幢座层楼单元房室年月日时点平米万元个人户间台套辆吨])"
)
#: A house in a village lane, team or group: 3巷12号, 8队5号, 三排6号.
_LANE_HOUSE = re.compile(r"(?<=[巷里坊队社组排])(?P<value>[0-9０-９]+(?:之[0-9一二三]+)?)(?=号)(?!号楼)")
_DOORPLATE = re.compile(r"门牌(?:号码|号)?(?:为|是)?[:：\s]*(?P<value>[^\s，,。；;、)）]{1,24})")
_DIGITS = re.compile(r"[0-9０-９A-Za-z]+(?:-[0-9０-９A-Za-z]+)?|[一二三四五六七八九十]+(?=[单元楼层号])")


def _star_digits(value: str) -> str:
    return _DIGITS.sub("**", value)


def _addresses(text: str) -> list[Span]:
    spans = []
    for pattern in (_ROOM, _ROOM_AFTER_BUILDING, _LANE_HOUSE, _DOORPLATE):
        for m in pattern.finditer(text):
            value = m["value"]
            masked = _star_digits(value)
            if masked != value:
                spans.append(Span(m.start("value"), m.end("value"), ADDRESS, value, masked))
    return spans


# --- the whole ------------------------------------------------------------------------------------

#: When two findings overlap, the longer wins; on equal length the earlier kind in this order.
_PRIORITY = {ID_NUMBER: 0, PHONE: 1, CONTACT: 2, PLATE: 3, NAME: 4, ADDRESS: 5}


def find(text: str | None) -> list[Span]:
    """Every masking in ``text``, sorted, none overlapping another."""
    if not text:
        return []
    found = _numbers(text) + _names(text) + _addresses(text)
    found.sort(key=lambda s: (-(s.end - s.start), _PRIORITY[s.kind], s.start))
    kept: list[Span] = []
    for span in found:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def apply(text: str | None, spans: list[Span]) -> str:
    """``text`` with each span replaced (spans as :func:`find` returns them)."""
    if not text:
        return text or ""
    parts, at = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        parts.append(text[at : span.start])
        parts.append(span.replacement)
        at = span.end
    parts.append(text[at:])
    return "".join(parts)


def mask(text: str | None) -> tuple[str, list[Span]]:
    """The masked text and the maskings made."""
    spans = find(text)
    return apply(text, spans), spans


def segments(text: str | None, spans: list[Span]) -> list[tuple[str, Span | None]]:
    """The masked text in pieces for a preview: plain text (span None) and each replacement with its span."""
    if not text:
        return []
    pieces: list[tuple[str, Span | None]] = []
    at = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start > at:
            pieces.append((text[at : span.start], None))
        pieces.append((span.replacement, span))
        at = span.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces
