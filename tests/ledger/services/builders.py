"""Helpers for the ledger's service tests: a pinned clock, real files, problems driven through the services.

Nothing here writes a problem's state directly: ``Ledger.to(state)`` walks a problem through the same
services the pages call, as the people who would do each step, so the ActionLog and the stage timestamps
are the real ones.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from ecoinspect.audit.models import ActionLog
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import (
    AcceptanceMethod,
    EvidenceKind,
    ProblemSource,
    ProgressStatus,
)
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem

TZ = ZoneInfo("Asia/Shanghai")

#: A Monday and a working day on the Chinese calendar, well before the 2026 National Day holiday.
START = dt.date(2026, 9, 7)


class Clock:
    """Pins ``django.utils.timezone.now`` — and with it ``localdate()``, auto_now fields and the ActionLog's
    time — to a chosen moment, so the tests do not depend on the day they run."""

    def __init__(self, monkeypatch, day: dt.date = START, hour: int = 10):
        from django.utils import timezone

        self.set(day, hour)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), TZ)

    def advance(self, days: int = 0, hours: int = 0) -> None:
        self.now += dt.timedelta(days=days, hours=hours)

    @property
    def today(self) -> dt.date:
        return self.now.date()


# --- files ------------------------------------------------------------------------------------------------

_serial = itertools.count(1)


def png_bytes(size=(16, 12)) -> bytes:
    """A real PNG made with Pillow; every call differs (so uploads are not duplicates of each other)."""
    from PIL import Image

    n = next(_serial)
    image = Image.new("RGB", size, ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    image.putpixel((0, 0), (n % 256, (n // 256) % 256, 7))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """The start of a PDF as a scanner writes it: the %PDF header, one object and the trailer."""
    n = next(_serial)
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        + f"% report {n}\n".encode()
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def docx_bytes(text: str = "整改工作会议纪要") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(f"{text} {next(_serial)}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def exe_bytes() -> bytes:
    """The first bytes of a Windows executable (the MZ/PE header)."""
    header = bytearray(512)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x84] = b"PE\0\0"
    return bytes(header)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def photo(name: str = "现场照片.png") -> SimpleUploadedFile:
    return upload(name, png_bytes())


# --- problems ---------------------------------------------------------------------------------------------

#: The happy path, in order; ``Ledger.to`` stops at the requested state.
PATH = (S.REGISTERED, S.ASSIGNED, S.RECTIFYING, S.COMPLETED, S.ACCEPTING, S.ACCEPTED, S.PUBLICITY, S.CLOSED)


def reload(problem: Problem) -> Problem:
    return Problem.objects.get(pk=problem.pk)


def log_actions(problem: Problem) -> list[str]:
    """The problem's ActionLog verbs, oldest first."""
    return list(ActionLog.objects.for_object(problem).order_by("seq").values_list("action", flat=True))


class Ledger:
    """Registers problems and drives them through the services as the right person for each step."""

    def __init__(self, people: dict, structure: dict, clock: Clock):
        self.people = people
        self.units = structure
        self.clock = clock
        self._staff = {
            "swj": people["water"],
            "zjj": people["housing"],
            "sanyuanli": people["sanyuanli"],
            "jingtai": people["jingtai"],
            "taihe": people["taihe"],
        }

    def staff_of(self, unit):
        return self._staff[unit.code]

    def register(self, actor=None, **overrides) -> Problem:
        u = self.units
        fields = {
            "title": "【测试】新市涌支涌排水口污水直排",
            "source": ProblemSource.SELF_INSPECTION,
            "problem_types": ["water"],
            "address": "白云区新市街道新市涌沿岸",
            "lead_unit": u["swj"],
            "acceptance_unit": u["sthj"],
            "deadline": self.clock.today + dt.timedelta(days=60),
            "target": "排水口旱季无污水直排",
        }
        fields.update(overrides)
        return svc.problem_register(actor=actor or self.people["coordinator"], **fields)

    def complete_work(self, problem: Problem, actor=None) -> Problem:
        """What the lead unit does before asking for acceptance: a final report and a photo."""
        actor = actor or self.staff_of(problem.lead_unit)
        svc.progress_report_add(
            actor=actor,
            problem=problem,
            text="排水口已封堵，管网已接驳。",
            progress_status=ProgressStatus.COMPLETED,
        )
        svc.evidence_add(actor=actor, problem=problem, uploaded=photo(), kind=EvidenceKind.PHOTO)
        return problem

    def step(self, problem: Problem) -> Problem:
        """Move the problem one state along the happy path."""
        p = self.people
        state = problem.status
        if state == S.REGISTERED:
            return svc.problem_assign(actor=p["coordinator"], problem=problem)
        if state == S.ASSIGNED:
            return svc.problem_start(actor=self.staff_of(problem.lead_unit), problem=problem)
        if state == S.RECTIFYING:
            self.complete_work(problem)
            return svc.problem_request_acceptance(actor=self.staff_of(problem.lead_unit), problem=problem)
        if state == S.COMPLETED:
            return svc.problem_begin_review(actor=p["reviewer"], problem=problem)
        if state == S.ACCEPTING:
            return svc.problem_accept(
                actor=p["reviewer"],
                problem=problem,
                accepted_on=self.clock.today,
                method=AcceptanceMethod.ON_SITE,
                opinion="现场核查，排水口已封堵，河涌水面无异味。",
            )
        if state == S.ACCEPTED:
            return svc.publicity_start(
                actor=p["publisher"],
                problem=problem,
                starts_on=self.clock.today,
                period="2_weeks",
                channel="白云区人民政府网站",
                objection_phone="020-86000000",
            )
        if state == S.PUBLICITY:
            self.clock.advance(days=14)  # the 2-week period is over
            return svc.problem_close(actor=p["publisher"], problem=problem)
        raise AssertionError(f"no step from {state}")

    def to(self, state: str, **register) -> Problem:
        """A new problem registered today and walked to ``state`` (closing moves the clock past publicity)."""
        problem = self.register(**register)
        while problem.status != state:
            problem = self.step(problem)
        return reload(problem)
