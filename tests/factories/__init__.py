"""factory_boy factories for every model of the project, one module per app (mirroring src/ecoinspect/).

``from tests.factories import ProblemFactory`` is the one way to make test data:

* orgs — ``UnitFactory`` (by code: the real unit when ``structure`` is loaded), ``UserFactory`` (with a
  membership when given ``unit`` and ``role``), ``MembershipFactory``, ``SectorDutyFactory``,
  ``ApiTokenFactory`` (``.raw`` is the bearer key), ``LoginAttemptFactory``; ``person(role, unit)`` finds
  (or makes) who does a step.
* audit — ``ActionLogFactory`` (appended to the hash chain by the service).
* notifications — ``NotificationFactory``.
* common — ``WorkdayOverrideFactory``, ``NumberSequenceFactory``, ``ImportJobFactory``, ``ExportJobFactory``.
* core — ``SubmissionFactory`` (a form's one-time key, claimed as a service claims it).
* ledger — ``ProblemTallyFactory`` (a maintained count, as the services keep it), ``ProblemFactory`` (registered and walked to ``status`` through the services; ``.build()`` is
  a bare row), ``MeasureFactory``, ``ProgressReportFactory``, ``EvidenceFactory``, ``SpecialPlanFactory``,
  ``JointActionFactory``, ``AcceptanceFactory``, ``PublicityFactory``, ``SupervisionNoticeFactory``;
  ``advance``/``step``/``finish_work``/``end_publicity`` for a problem that exists; the import template's rows.
* petitions — ``RoundFactory``, ``BatchFactory``, ``PetitionFactory`` (registered and walked to ``status``
  along ``PETITION_PATH``), ``AssignmentFactory``, ``ClaimFactory``, ``SuggestionFactory``,
  ``ReturnVisitFactory``, ``DisclosureFactory``; ``advance_petition`` walks an existing case further.
* testapp — ``TicketFactory``, ``MemoFactory``.
* files — real PNG, PDF, Word and Excel bytes and uploads.
"""

from .audit import ActionLogFactory
from .common import ExportJobFactory, ImportJobFactory, NumberSequenceFactory, WorkdayOverrideFactory
from .core import SubmissionFactory
from .files import (
    BELL_MARK,
    NUL_MARK,
    docx_bytes,
    excel_escaped,
    exe_bytes,
    pdf_bytes,
    photo,
    png_bytes,
    upload,
    xlsx_bytes,
    xlsx_upload,
)
from .ledger import (
    IMPORT_HEADERS,
    PATH,
    AcceptanceFactory,
    EvidenceFactory,
    JointActionFactory,
    MeasureFactory,
    ProblemFactory,
    ProblemTallyFactory,
    ProgressReportFactory,
    PublicityFactory,
    SpecialPlanFactory,
    SupervisionNoticeFactory,
    advance,
    end_publicity,
    finish_work,
    import_row,
    import_workbook,
    recount_problems,
    reload,
    staff_of,
    step,
    today,
)
from .notifications import NotificationFactory
from .orgs import (
    PASSWORD,
    ApiTokenFactory,
    LoginAttemptFactory,
    MembershipFactory,
    PlaceFactory,
    SectorDutyFactory,
    UnitFactory,
    UserFactory,
    person,
    unit,
)
from .petitions import (
    PETITION_PATH,
    AssignmentFactory,
    BatchFactory,
    ClaimFactory,
    DisclosureFactory,
    PetitionFactory,
    ReturnVisitFactory,
    RoundFactory,
    SuggestionFactory,
    advance_petition,
)
from .testapp import MemoFactory, TicketFactory

__all__ = [
    "PETITION_PATH",
    "AssignmentFactory",
    "BatchFactory",
    "ClaimFactory",
    "DisclosureFactory",
    "ExportJobFactory",
    "PetitionFactory",
    "ReturnVisitFactory",
    "RoundFactory",
    "SuggestionFactory",
    "advance_petition",
    "IMPORT_HEADERS",
    "PASSWORD",
    "PATH",
    "AcceptanceFactory",
    "ActionLogFactory",
    "ApiTokenFactory",
    "EvidenceFactory",
    "ImportJobFactory",
    "JointActionFactory",
    "LoginAttemptFactory",
    "MeasureFactory",
    "MembershipFactory",
    "NotificationFactory",
    "NumberSequenceFactory",
    "ProblemFactory",
    "ProblemTallyFactory",
    "ProgressReportFactory",
    "PublicityFactory",
    "PlaceFactory",
    "SectorDutyFactory",
    "SpecialPlanFactory",
    "SubmissionFactory",
    "SupervisionNoticeFactory",
    "TicketFactory",
    "MemoFactory",
    "UnitFactory",
    "UserFactory",
    "WorkdayOverrideFactory",
    "advance",
    "BELL_MARK",
    "NUL_MARK",
    "docx_bytes",
    "end_publicity",
    "excel_escaped",
    "exe_bytes",
    "finish_work",
    "import_row",
    "import_workbook",
    "pdf_bytes",
    "person",
    "photo",
    "png_bytes",
    "recount_problems",
    "reload",
    "staff_of",
    "step",
    "today",
    "unit",
    "upload",
    "xlsx_bytes",
    "xlsx_upload",
]
