"""Masking personal data in a disclosure table's texts: each kind masked as the published tables do, every
masking returned as a span, and no false masking of roads, buildings, company or place names."""

from __future__ import annotations

import pytest

from ecoinspect.petitions import masking
from ecoinspect.petitions.masking import find, mask


def masked(text: str) -> str:
    return mask(text)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("举报人张伟反映河涌发臭。", "举报人张某反映河涌发臭。"),
        ("投诉人：李明华称夜间噪声扰民。", "投诉人：李某称夜间噪声扰民。"),
        ("来电人欧阳娜娜反映油烟。", "来电人欧阳某反映油烟。"),
        ("业主黄大明，反映楼下排档油烟。", "业主黄某，反映楼下排档油烟。"),
        ("张伟先生反映工地夜间施工。", "张先生反映工地夜间施工。"),
        ("举报人陈小红女士称", "举报人陈女士称"),
        ("镇长陈大文约谈企业负责人。", "镇长陈某约谈企业负责人。"),
        ("联系人：王五，", "联系人：王某，"),
    ],
)
def test_a_full_name_keeps_only_the_surname(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "村民陈先生、王女士反映养猪场臭气。",  # a surname alone already shows no more
        "业主黄某某反映，举报人李某称",
        "向李先生了解情况。",  # 向 is "to", not the surname of 向李
        "举报人反映，投诉人称，村民多次投诉。",
        "居民白天休息受影响，居民常年受噪声困扰，业主施工，",  # ordinary words after 居民/业主
        "村民陈田村，",  # a village, not a person
    ],
)
def test_no_name_is_invented(text):
    assert [s for s in find(text) if s.kind == masking.NAME] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联系电话13812345678。", "联系电话138****5678。"),
        ("手机138-1234-5678", "手机138****5678"),
        ("座机020-86195182", "座机020-****5182"),
        ("（020）86195182", "（020）****5182"),
        ("电话：86195182", "电话：****5182"),
    ],
)
def test_phone_numbers(text, expected):
    assert masked(text) == expected
    assert {s.kind for s in find(text)} == {masking.PHONE}


def test_an_id_number_keeps_its_first_and_last_four():
    text = "身份证号440111199001011234，另一位44011119851231002X。"
    assert masked(text) == "身份证号4401**********1234，另一位4401**********002X。"
    assert [s.kind for s in find(text)] == [masking.ID_NUMBER, masking.ID_NUMBER]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("车牌粤A12345的货车", "车牌粤A****5的货车"),
        ("新能源车粤A·D12345", "新能源车粤A·*****5"),
        ("粤AD12345夜间偷倒", "粤A*****5夜间偷倒"),
    ],
)
def test_vehicle_plates(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住黄石东路123号5栋1203房，", "住黄石东路123号5栋**房，"),
        ("机场路12号2单元502室", "机场路12号**单元**室"),
        ("某花园B座1203，", "某花园B座**，"),
        ("鹤边村3巷12号养猪", "鹤边村3巷**号养猪"),
        ("门牌号为鹤边一社8号", "门牌号为鹤边一社**号"),
    ],
)
def test_an_address_is_kept_to_the_road_and_building(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "白云大道北1号某公司夜间噪声扰民。",
        "广州市白云区(和龙水库上游)",
        "广州市某某环保科技有限公司、白云区某某五金加工厂（普通合伙）",
        "黄石东路123号5栋外墙",
        "1号楼楼顶冷却塔噪声。3层厂房。2室1厅。5栋2024年建成。",
        "6月12号晚上，交办编号D3GD202406010001，罚款2.5万元，责令整改2家。",
        "拨打12345热线、12369环保热线反映。",
        "统一社会信用代码91440111MA59ABCD1X",
    ],
)
def test_no_false_masking_of_places_companies_and_numbers(text):
    assert find(text) == []
    assert masked(text) == text


def test_every_masking_is_a_span_with_where_what_and_how():
    text = "举报人张伟（13812345678）反映粤A12345的车，住机场路12号502房。"
    spans = find(text)
    assert [(s.kind, s.original, s.replacement) for s in spans] == [
        (masking.NAME, "张伟", "张某"),
        (masking.PHONE, "13812345678", "138****5678"),
        (masking.PLATE, "粤A12345", "粤A****5"),
        (masking.ADDRESS, "502房", "**房"),
    ]
    for s in spans:
        assert text[s.start : s.end] == s.original
    assert masking.apply(text, spans) == "举报人张某（138****5678）反映粤A****5的车，住机场路12号**房。"
    pieces = masking.segments(text, spans)
    assert "".join(p for p, _ in pieces) == masking.apply(text, spans)
    assert [p for p, span in pieces if span] == ["张某", "138****5678", "粤A****5", "**房"]


def test_overlapping_findings_keep_the_longest():
    # the mobile number inside the "电话" phrase is found twice; the ID number is not also a phone number
    spans = find("电话13812345678，身份证440111199001011234")
    assert [(s.kind, s.original) for s in spans] == [
        (masking.PHONE, "13812345678"),
        (masking.ID_NUMBER, "440111199001011234"),
    ]


def test_email_and_chat_accounts():
    assert masked("邮箱abc@qq.com，微信号wx_12345") == "邮箱a***@qq.com，微信号****"


def test_empty_text():
    assert mask("") == ("", [])
    assert mask(None) == ("", [])
