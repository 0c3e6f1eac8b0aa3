"""The kit's answers to two writers at the same moment, on the test app (away from any domain app):
``serialise`` makes them take turns, ``once`` makes a form sent twice create one record, ``store_once``
keeps one copy of a content-addressed file, ``unique_or_refuse`` words the database's refusal of a
duplicate. The racing tests run real threads on real connections (tests/concurrency.py)."""

from __future__ import annotations

import stat
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.db import IntegrityError, transaction

from ecoinspect.common.errors import AlreadySubmitted, ServiceError
from ecoinspect.common.models import NumberSequence
from ecoinspect.core.models import Submission
from ecoinspect.core.services import serialise, unique_or_refuse
from ecoinspect.core.storage import store_once
from ecoinspect.core.submissions import new_key, once
from tests.concurrency import race
from tests.testapp.models import Memo


@once("testapp.memo")
@transaction.atomic
def memo_add(*, actor, title: str) -> Memo:
    """A service that creates a record from a form, as an app writes one."""
    if not title.strip():
        raise ServiceError({"title": "请填写标题。"})
    return Memo.objects.create(title=title)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("racing_db")
def test_serialised_writers_take_turns_and_each_sees_the_one_before():
    memo = Memo.objects.create(title="计数")

    def bump(i):
        with transaction.atomic():
            serialise(f"memo:{memo.pk}")
            seen = Memo.objects.get(pk=memo.pk).version
            time.sleep(0.05)  # every other writer would read the same version meanwhile, but for the lock
            Memo.objects.filter(pk=memo.pk).update(version=seen + 1)

    outcomes = race(4, bump)

    assert [o.error for o in outcomes] == [None] * 4
    assert Memo.objects.get(pk=memo.pk).version == 5  # no update lost


@pytest.mark.django_db(transaction=True)
def test_serialise_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError, match="inside atomic"):
        serialise("anything")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("racing_db")
def test_a_form_sent_four_times_at_once_creates_one_record_and_answers_the_others_with_it(people):
    key = new_key()
    water = people["water"]

    outcomes = race(4, lambda i: memo_add(actor=water, title="只保存一次", submission_key=key))

    made = [o.value for o in outcomes if o.ok]
    assert len(made) == 1 and Memo.objects.filter(title="只保存一次").count() == 1
    refused = [o.error for o in outcomes if not o.ok]
    assert len(refused) == 3 and all(isinstance(e, AlreadySubmitted) for e in refused)
    assert {e.existing.pk for e in refused} == {made[0].pk}
    assert "已提交过，未重复保存" in refused[0].messages[0]
    claimed = Submission.objects.get(key=key)
    assert (claimed.actor, claimed.purpose, claimed.object_type, claimed.object_id) == (
        water,
        "testapp.memo",
        "testapp.memo",
        str(made[0].pk),
    )


@pytest.mark.django_db
def test_a_refused_sending_frees_its_key_for_the_corrected_form(people):
    key = new_key()
    with pytest.raises(ServiceError):
        memo_add(actor=people["water"], title=" ", submission_key=key)
    assert not Submission.objects.filter(key=key).exists()
    memo = memo_add(actor=people["water"], title="改正后", submission_key=key)
    assert Submission.objects.get(key=key).object_id == str(memo.pk)


@pytest.mark.django_db
def test_another_persons_key_is_refused_without_showing_their_record(people):
    key = new_key()
    memo_add(actor=people["water"], title="水务局的", submission_key=key)
    with pytest.raises(AlreadySubmitted) as refused:
        memo_add(actor=people["housing"], title="住建局的", submission_key=key)
    assert refused.value.existing is None and "请刷新页面" in refused.value.messages[0]
    assert Memo.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_a_service_runs_as_before(people):
    memo_add(actor=people["water"], title="接口")
    memo_add(actor=people["water"], title="接口")
    assert Memo.objects.filter(title="接口").count() == 2 and not Submission.objects.exists()


def test_a_file_is_stored_once_whole_and_readable(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    first = store_once(storage, "imports/ab/abc.xlsx", ContentFile(b"PK same bytes"))
    again = store_once(storage, "imports/ab/abc.xlsx", ContentFile(b"PK same bytes"))
    assert (first.created, again.created) == (True, False) and first.name == again.name
    assert sorted(p.name for p in (tmp_path / "imports" / "ab").iterdir()) == ["abc.xlsx"]
    assert stat.S_IMODE((tmp_path / "imports/ab/abc.xlsx").stat().st_mode) == 0o644


def test_a_storage_without_local_paths_keeps_one_copy_too():
    storage = InMemoryStorage()
    assert store_once(storage, "evidence/1/abc.pdf", ContentFile(b"%PDF-1.4")).created
    assert not store_once(storage, "evidence/1/abc.pdf", ContentFile(b"%PDF-1.4")).created
    assert storage.listdir("evidence/1") == ([], ["abc.pdf"])


@pytest.mark.django_db
def test_a_duplicate_refused_by_the_database_is_answered_with_the_rule():
    NumberSequence.objects.create(prefix="ZG", year=2026)

    def refusal():
        if NumberSequence.objects.filter(prefix="ZG", year=2026).exists():
            return ServiceError("ZG-2026 的计数器已存在。")
        return None

    with transaction.atomic():
        with pytest.raises(ServiceError, match="已存在"), unique_or_refuse(refusal):
            NumberSequence.objects.create(prefix="ZG", year=2026)
        assert NumberSequence.objects.count() == 1  # the transaction goes on after the savepoint
    with pytest.raises(IntegrityError), unique_or_refuse(lambda: None):
        NumberSequence.objects.create(prefix="ZG", year=2026)
