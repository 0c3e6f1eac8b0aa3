"""Problems for the page tests, made through the same services the pages call, as the right people."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod, EvidenceKind, ProblemSource, ProgressStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import Problem, Publicity

_serial = itertools.count(1)

PATH = (S.REGISTERED, S.ASSIGNED, S.RECTIFYING, S.COMPLETED, S.ACCEPTING, S.ACCEPTED, S.PUBLICITY, S.CLOSED)


def png_bytes(size=(40, 30)) -> bytes:
    """A real PNG; each call differs, so two uploads are never the same file."""
    from PIL import Image

    n = next(_serial)
    image = Image.new("RGB", size, ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    image.putpixel((0, 0), (n % 256, (n // 256) % 256, 7))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_bytes(text: str = "monitoring report") -> bytes:
    """A small all-ASCII PDF (so a test can look for ``text`` in the downloaded bytes)."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        + f"% {text} {next(_serial)}\n".encode()
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def today() -> dt.date:
    return timezone.localdate()


class Desk:
    """Registers problems and walks them along the happy path through the services."""

    def __init__(self, people: dict, structure: dict):
        self.people = people
        self.units = structure
        self.staff = {
            "swj": people["water"],
            "zjj": people["housing"],
            "sanyuanli": people["sanyuanli"],
            "jingtai": people["jingtai"],
            "taihe": people["taihe"],
        }

    def register(self, **overrides) -> Problem:
        u = self.units
        fields = {
            "title": "【测试】新市涌支涌排水口污水直排",
            "source": ProblemSource.SELF_INSPECTION,
            "problem_types": ["water"],
            "address": "白云区新市街道新市涌沿岸",
            "lead_unit": u["swj"],
            "acceptance_unit": u["sthj"],
            "deadline": today() + dt.timedelta(days=60),
            "target": "排水口旱季无污水直排",
        }
        fields.update(overrides)
        return svc.problem_register(actor=self.people["coordinator"], **fields)

    def finish_work(self, problem: Problem) -> None:
        actor = self.staff[problem.lead_unit.code]
        svc.progress_report_add(
            actor=actor,
            problem=problem,
            text="排水口已封堵，管网已接驳。",
            progress_status=ProgressStatus.COMPLETED,
        )
        svc.evidence_add(
            actor=actor, problem=problem, uploaded=upload("封堵后.png", png_bytes()), kind=EvidenceKind.PHOTO
        )

    def step(self, problem: Problem) -> Problem:
        p = self.people
        state = problem.status
        if state == S.REGISTERED:
            return svc.problem_assign(actor=p["coordinator"], problem=problem)
        if state == S.ASSIGNED:
            return svc.problem_start(actor=self.staff[problem.lead_unit.code], problem=problem)
        if state == S.RECTIFYING:
            self.finish_work(problem)
            return svc.problem_request_acceptance(actor=self.staff[problem.lead_unit.code], problem=problem)
        if state == S.COMPLETED:
            return svc.problem_begin_review(actor=p["reviewer"], problem=problem)
        if state == S.ACCEPTING:
            return svc.problem_accept(
                actor=p["reviewer"],
                problem=problem,
                accepted_on=today(),
                method=AcceptanceMethod.ON_SITE,
                opinion="现场核查，排水口已封堵。",
            )
        if state == S.ACCEPTED:
            return svc.publicity_start(
                actor=p["publisher"],
                problem=problem,
                starts_on=today(),
                period="2_weeks",
                channel="白云区人民政府网站",
                objection_phone="020-86000000",
            )
        if state == S.PUBLICITY:
            end_publicity(problem)
            return svc.problem_close(actor=p["publisher"], problem=problem)
        raise AssertionError(f"no step from {state}")

    def to(self, state: str, **register) -> Problem:
        problem = self.register(**register)
        while problem.status != state:
            problem = self.step(problem)
        return Problem.objects.get(pk=problem.pk)


def end_publicity(problem: Problem) -> None:
    """Move the publicity period into the past through the ORM (tests cannot wait two weeks)."""
    Publicity.objects.filter(problem=problem).update(
        starts_on=today() - dt.timedelta(days=20), ends_on=today() - dt.timedelta(days=1)
    )
