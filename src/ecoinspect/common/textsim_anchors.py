"""What any caller of :mod:`ecoinspect.common.textsim` can read out of Chinese texts: the facility names
and the street addresses a text names (anchors), and the passages two texts share (for highlighting).
Pure: no Django, nothing of any domain app.

>>> facilities("反映大源街道一家名为鸿达五金制品厂的工厂每天晚上开冲床")
['鸿达五金制品厂', '工厂']
>>> addresses("位于太和镇龙归路188号的工厂")
['龙归路188号']
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_FACILITY = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{1,12}?"
    r"(?:股份有限公司|有限责任公司|有限公司|公司|工厂|厂|养殖场|场|市场|中转站|转运站|压缩站|收集站|搅拌站|加油站|站|"
    r"酒楼|酒店|饭店|餐馆|餐厅|大排档|店|作坊|健身房|面包房|喷漆房|工业园|物流园|产业园|科技园|工业区|工地|项目|"
    r"KTV|ktv|酒吧|广场|医院|学校|仓库|(?:回收|收购|收集|堆放|中转)点))"
)
#: The words before a facility's name: counters, determiners, verbs, and the place it is in.
_FACILITY_LEAD = re.compile(
    r"^.*(?:一家|一间|一个|一处|那家|这家|那间|那个|这个|有家|有个|多家|几间|几家|某|的|名为|叫做|在|旁边|附近|周边|"
    r"门口|对面|一带|一片|周围|那边|这边|和|与|及|被|把|将|向|从|到|上游|下游|反映|投诉|举报|有(?!限)|开(?!发)|经营|[0-9]+号|路|大道|街道|镇|"
    r"村(?!级)|社区|小区|市(?!场)|区(?=.))"
)
_NOT_FACILITIES = {"现场", "立场", "公司", "该公司", "本公司", "此公司", "厂", "场", "站", "店"}
_ADDRESS_LEAD = re.compile(r"^.*(?:位于|地址为|地址|住在|在|于|近|镇|街道|社区|村|区|市)")
_ADDRESS = re.compile(r"([\u4e00-\u9fff]{1,8}(?:大道|路|街|巷|大街|里|村)[东南西北中]?[0-9]{1,5}(?:之[0-9]+)?号)")


def facilities(text: str) -> list[str]:
    """Facility names in a text (…公司, …厂, …场, …市场, …站, …店, 工地 …), without the words before them
    (一家, 那个, 某 …): "一家名为鸿达五金制品厂的工厂" → 鸿达五金制品厂, 工厂."""
    text = unicodedata.normalize("NFKC", text or "")
    out = []
    for clause in re.split(r"[，。；、,;：:\s]", text):
        for found in _FACILITY.findall(clause):
            name = _FACILITY_LEAD.sub("", found)
            if len(name) >= 2 and name not in _NOT_FACILITIES and not name.startswith("该") and name not in out:
                out.append(name)
    return out


def addresses(text: str) -> list[str]:
    """Street addresses with a number (石井大道123号, 棠涌村5号): the words before the road are kept."""
    text = unicodedata.normalize("NFKC", text or "")
    found = (_ADDRESS_LEAD.sub("", a) for a in _ADDRESS.findall(text))
    return list(dict.fromkeys(a for a in found if a))


_HALF_WIDTH = {0x3000: 0x20, **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}}
_RUN = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]+")


def passages(a: str, b: str, *, min_chars: int = 3, limit: int = 6) -> tuple[str, ...]:
    """The passages of ``a`` that also occur in ``b`` (runs of at least ``min_chars`` letters, never across
    punctuation; full-width and half-width alike), exactly as written in ``a`` — for highlighting — in
    ``a``'s order."""
    a, b = a or "", b or ""
    half_a = a.translate(_HALF_WIDTH)  # the same length as a: positions in one are positions in the other
    blocks = difflib.SequenceMatcher(None, half_a, b.translate(_HALF_WIDTH), autojunk=False).get_matching_blocks()
    found = []
    for block in blocks:
        for run in _RUN.finditer(half_a, block.a, block.a + block.size):
            if run.end() - run.start() >= min_chars:
                found.append((run.start(), a[run.start() : run.end()]))
    longest = sorted(found, key=lambda x: -len(x[1]))[:limit]
    return tuple(p for _i, p in sorted(longest))
