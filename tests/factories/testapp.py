"""Factories of the test-only app: the Ticket used by the foundation's workflow, queue and scoping tests."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tests.testapp.models import Memo, Ticket


class TicketFactory(DjangoModelFactory):
    """A Ticket in any state, written directly (the workflow is what the tests exercise, not the setup)."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试工单-{n:04d}")
    status = Ticket.NEW

    @factory.post_generation
    def cooperating(self, create, extracted, **kwargs):
        if create and extracted:
            self.cooperating_units.set(extracted)


class MemoFactory(DjangoModelFactory):
    """A versioned memo (what the core kit's generic write helpers are tested on)."""

    class Meta:
        model = Memo
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"备忘-{n:04d}")

    @factory.post_generation
    def linked(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
