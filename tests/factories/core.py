"""Factories of core: the one-time keys of forms that create a record."""

from __future__ import annotations

import factory

from ecoinspect.core.models import Submission
from ecoinspect.core.submissions import new_key, once

from .orgs import UserFactory


class SubmissionFactory(factory.Factory):
    """A form's one-time key, claimed as a service marked ``core.submissions.once`` claims it — bound to
    ``record`` (what the service made) when one is given."""

    class Meta:
        model = Submission

    actor = factory.SubFactory(UserFactory)
    key = factory.LazyFunction(new_key)
    purpose = "testapp.memo"
    record = None

    @classmethod
    def _create(cls, model_class, *, actor, key, purpose, record):
        once(purpose)(lambda *, actor: record)(actor=actor, submission_key=key)
        return Submission.objects.get(key=key)
