"""core.services: the permission check every service starts with, and optimistic concurrency for any
model with a ``version`` field (tested on the test app's Memo, and on the ledger's wording)."""

from __future__ import annotations

import pytest

from ecoinspect.common.errors import ConcurrentEdit, NotPermitted
from ecoinspect.core.services import bump_version, claim_versions, require
from tests.testapp.models import Memo, Ticket

pytestmark = pytest.mark.django_db


def test_require_passes_the_holder_and_refuses_others_with_the_reason(people, structure):
    ticket = Ticket.objects.create(title="排水口", lead_unit=structure["swj"])
    require(people["water"], "testapp.work", ticket)  # their unit leads it
    require(people["coordinator"], "testapp.assign")
    with pytest.raises(NotPermitted) as refused:
        require(people["sanyuanli"], "testapp.work", ticket, "只有牵头单位可以办理。")
    assert str(refused.value) == "只有牵头单位可以办理。"
    with pytest.raises(NotPermitted) as refused:
        require(people["leader"], "testapp.assign")
    assert "您没有执行此操作的权限" in str(refused.value)


def test_bump_version_claims_the_next_version_once():
    memo = Memo.objects.create(title="一")
    bump_version(memo, 1)
    assert memo.version == 2 and Memo.objects.get().version == 2
    bump_version(memo)  # the version the object holds
    assert Memo.objects.get().version == 3
    with pytest.raises(ConcurrentEdit) as refused:
        bump_version(Memo.objects.get(), 2)  # read before the last save
    assert refused.value.code == "conflict"
    assert "当前版本 3，您编辑的是版本 2" in refused.value.messages[0]
    assert Memo.objects.get().version == 3


def test_a_stale_object_is_refused_even_without_an_explicit_version():
    memo = Memo.objects.create(title="一")
    other = Memo.objects.get(pk=memo.pk)
    bump_version(other)
    with pytest.raises(ConcurrentEdit):
        bump_version(memo)
    assert memo.version == 1  # untouched by the refusal


def test_a_model_words_its_own_conflict(people, structure):
    from ecoinspect.ledger.services import problem_register

    problem = problem_register(actor=people["coordinator"], title="排水口", source="self_inspection")
    with pytest.raises(ConcurrentEdit) as refused:
        bump_version(problem, problem.version + 5)
    assert refused.value.messages[0].startswith("该问题已被他人修改（当前版本 1，您编辑的是版本 6）")


def test_claim_versions_refuses_all_when_one_is_stale_and_names_every_stale_record():
    a, b, c = (Memo.objects.create(title=t) for t in "甲乙丙")
    Memo.objects.filter(pk__in=[b.pk, c.pk]).update(version=4)
    with pytest.raises(ConcurrentEdit) as refused:
        claim_versions([(a, 1), (b, 1), (c, 4)], describe=lambda m: m.title)
    assert refused.value.messages[0].endswith("：乙") and "甲" not in refused.value.messages[0]
    assert a.version == 1  # nothing claimed
    with pytest.raises(ConcurrentEdit) as refused:
        claim_versions([(b, 1)], message="以下备忘已变：%(n)s", describe=lambda m: m.title)
    assert refused.value.messages == ["以下备忘已变：乙"]
    claim_versions([(a, 1), (c, 4)])
    assert (a.version, c.version) == (2, 5)
    # the claim is in memory only: the caller's write stores it
    assert dict(Memo.objects.values_list("title", "version")) == {"甲": 1, "乙": 4, "丙": 4}
