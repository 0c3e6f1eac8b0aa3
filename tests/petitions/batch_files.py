"""Batch files as the inspection team and the province publish them, built for the tests with the real
libraries: .xlsx with openpyxl (a merged title row above the header, each official layout), CSV in GBK or
UTF-8, and .xls with xlwt when it is installed."""

from __future__ import annotations

import csv
import io

ROUND3_TITLE = "第三轮中央生态环境保护督察广东省第5批交办群众信访举报件办理情况公开表"

TRANSFER = ["序号", "受理编号", "交办问题基本情况", "行政区域", "问题类型"]
ROUND3 = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "问题类型",
    "调查核实情况",
    "是否属实",
    "办结目标",
    "处理和整改情况",
    "是否办结",
    "责任人被处理情况",
]
ROUND2 = [
    "序号",
    "受理编号",
    "交办问题基本情况",
    "行政区域",
    "污染类型",
    "调查核实情况",
    "是否属实",
    "处理和整改情况",
    "问责情况",
]
PROVINCIAL = [*ROUND2, "责任单位", "责任人", "受理方式", "备注"]

#: Three cases of a transfer batch: a town named in the region, a place named in the text, a place elsewhere.
CASES = [
    ["1", "D3GD202311250001", "白云区太和镇大源村某五金厂夜间排放刺鼻废气，附近居民无法开窗。", "广州市白云区太和镇", "大气"],
    ["2", "X3GD202311250002", "石井街道石井河沿岸有排水口晴天排放黑臭污水。", "广州市白云区(石井河沿岸)", "水"],
    ["3", "D3GD202311250003", "某建筑工地夜间施工噪声扰民。", "广州市天河区", "噪声"],
]


def xlsx(headers: list[str], rows: list[list], *, title: str | None = ROUND3_TITLE, subtitle: str | None = None, merges=()) -> bytes:
    """A workbook: an optional title row merged across the table (and a subtitle), the header, the rows.
    ``merges``: extra ranges to merge ("D3:D4" merges a column down two rows, as published tables do)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    width = len(headers)
    from openpyxl.utils import get_column_letter

    last = get_column_letter(width)
    line = 0
    for text in (title, subtitle):
        if text:
            line += 1
            sheet.append([text])
            sheet.merge_cells(f"A{line}:{last}{line}")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(headers: list[str], rows: list[list], encoding: str = "gbk") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xls(headers: list[str], rows: list[list], *, title: str | None = ROUND3_TITLE) -> bytes:
    """A legacy .xls (BIFF8, as Excel 2003 and WPS write it), with the title merged above the header."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    line = 0
    if title:
        sheet.write_merge(0, 0, 0, len(headers) - 1, title)
        line = 1
    for col, header in enumerate(headers):
        sheet.write(line, col, header)
    for r, row in enumerate(rows, start=line + 1):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def round3_row(seq, number, text, region, types, *, verdict="属实", closure="已办结") -> list:
    return [
        seq,
        number,
        text,
        region,
        types,
        "经现场核查，反映情况属实。",
        verdict,
        "2023年12月底前完成整改",
        "责令停产整改，立案处罚。",
        closure,
        "无",
    ]
