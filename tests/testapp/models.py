"""A small workflow-driven model used only by the tests of the foundation (workflow engine, queue, scoping).

Its workflow is declared in ``workflow.py`` and registered in ``TestAppConfig.ready()``, as the ledger does.
"""

from django.db import models
from django.urls import reverse

from ecoinspect.audit.models import ChangeLoggedModel
from ecoinspect.core.permissions import RestrictedQuerySet


class Ticket(ChangeLoggedModel):
    NEW, ASSIGNED, WORKING, DONE, ACCEPTED, CLOSED = (
        "new",
        "assigned",
        "working",
        "done",
        "accepted",
        "closed",
    )
    STATUSES = [
        (NEW, "新登记"),
        (ASSIGNED, "已交办"),
        (WORKING, "办理中"),
        (DONE, "已完成"),
        (ACCEPTED, "已验收"),
        (CLOSED, "已销号"),
    ]

    title = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=STATUSES, default=NEW)
    lead_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cooperating_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+")
    acceptance_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    unit_scope = {
        "view": ("lead_unit", "cooperating_units", "acceptance_unit"),
        "work": ("lead_unit", "cooperating_units"),
        "review": ("acceptance_unit",),
    }

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("testapp:ticket_detail", args=[self.pk])


class Memo(ChangeLoggedModel):
    """A versioned record with an ``auto_now`` stamp, a JSON list and links to units: what the core kit's
    generic write helpers (``core.services.bump_version``, ``core.bulk``) are tested on, away from any app."""

    title = models.CharField(max_length=100)
    tags = models.JSONField(default=list, blank=True)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title
