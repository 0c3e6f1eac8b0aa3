"""Builders for the import/export tests: real workbooks (openpyxl), problems walked through the services,
and a pinned clock. Nothing here writes a problem's state directly."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod, EvidenceKind, ProgressStatus

TZ = ZoneInfo("Asia/Shanghai")
#: A Monday and a working day, well away from the holidays of 2026.
START = dt.date(2026, 9, 7)

HEADERS = [
    "问题编号",
    "整改任务",
    "问题来源",
    "问题类型",
    "牵头单位",
    "配合单位",
    "验收销号单位",
    "问题地点",
    "整改目标",
    "整改时限",
    "登记日期",
]


class Clock:
    """Pins ``timezone.now`` (and so ``localdate()``, auto_now fields, the ActionLog's time)."""

    def __init__(self, monkeypatch, day: dt.date = START, hour: int = 10):
        from django.utils import timezone

        self.set(day, hour)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), TZ)

    @property
    def today(self) -> dt.date:
        return self.now.date()


def row(number="BY-001", title="石井河排水口污水直排", **overrides) -> dict:
    """One data row by header; the defaults make a valid row for the inspection office."""
    values = {
        "问题编号": number,
        "整改任务": title,
        "问题来源": "自查自纠",
        "问题类型": "水",
        "牵头单位": "区水务局",
        "配合单位": "石井街道",
        "验收销号单位": "生态环境分局",
        "问题地点": "石井街道某村",
        "整改目标": "晴天无污水排出",
        "整改时限": dt.date(2026, 12, 31),
        "登记日期": dt.date(2026, 9, 1),
    }
    values.update(overrides)
    return values


def workbook(rows: list[dict], *, headers=None, sheet="整改问题", above=(), extra_sheets=()) -> bytes:
    """An .xlsx written with openpyxl: optional title lines above the header, then one row per dict."""
    from openpyxl import Workbook

    headers = list(headers or HEADERS)
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for line in above:
        ws.append(list(line))
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    for name in extra_sheets:
        book.create_sheet(name).append(["说明"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(text="一份 Word 文档") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


_serial = itertools.count(1)


def png_upload() -> SimpleUploadedFile:
    from PIL import Image

    n = next(_serial)
    image = Image.new("RGB", (12, 10), ((n * 37) % 256, (n * 91) % 256, 7))
    image.putpixel((0, 0), (n % 256, (n // 256) % 256, 9))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile(f"现场照片{n}.png", out.getvalue(), content_type="image/png")


def register(people, units, *, lead="swj", number=None, title="河涌排水口整改", deadline=None, **extra):
    """A registered problem (the office registers it)."""
    today = _today()
    return svc.problem_register(
        actor=people["coordinator"],
        title=title,
        source=extra.pop("source", "self_inspection"),
        lead_unit=units[lead],
        acceptance_unit=units[extra.pop("acceptance", "sthj")],
        deadline=deadline or today + dt.timedelta(days=90),
        number=number,
        override_reason="测试指定",
        **extra,
    )


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def rectifying(people, units, staff="water", **kwargs):
    """Registered, assigned and started by the lead unit's staff."""
    problem = register(people, units, **kwargs)
    svc.problem_assign(actor=people["coordinator"], problem=problem)
    svc.problem_start(actor=people[staff], problem=problem)
    return problem


def in_publicity(
    people,
    units,
    *,
    staff="water",
    measures=("封堵排水口", "截污纳管"),
    report="已完成截污纳管，排水口晴天无污水。",
    period="10_workdays",
    phone="020-36000000",
    **kwargs,
):
    """A problem walked to PUBLICITY through every service, with measures, a report, evidence,
    a passed acceptance and a publicity (10 working days, phone 020-36000000)."""
    problem = rectifying(people, units, staff=staff, **kwargs)
    worker = people[staff]
    for content in measures:
        measure = svc.measure_add(
            actor=worker, problem=problem, content=content, owner_unit=problem.lead_unit
        )
        svc.measure_complete(actor=worker, measure=measure)
    svc.progress_report_add(
        actor=worker, problem=problem, text=report, progress_status=ProgressStatus.COMPLETED
    )
    svc.evidence_add(actor=worker, problem=problem, uploaded=png_upload(), kind=EvidenceKind.PHOTO)
    svc.problem_request_acceptance(actor=worker, problem=problem)
    svc.problem_accept(
        actor=people["reviewer"],
        problem=problem,
        accepted_on=_today(),
        method=AcceptanceMethod.ON_SITE,
        opinion="现场核查，整改到位",
    )
    svc.publicity_start(
        actor=people["publisher"],
        problem=problem,
        starts_on=_today(),
        period=period,
        channel="白云区人民政府网站",
        objection_phone=phone,
    )
    problem.refresh_from_db()
    return problem
