"""Disclosure of a batch through the services: the approved cases move to 已公开 and the published rows are
kept; stage-closed cases come back in a later disclosure; repeats point to their original; the publisher's
corrections replace the automatic masking (and reach what was already published)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.petitions import disclosure as pub
from ecoinspect.petitions import services as svc
from ecoinspect.petitions.choices import ClosureStatus, Origin, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.models import Disclosure, Petition
from tests.factories import BatchFactory, PetitionFactory
from tests.factories.petitions import HANDLING

PERSONAL = "举报人张伟反映，其住机场路12号5栋1203房，电话13812345678，粤A12345的货车夜间偷倒。"


def reload(p: Petition) -> Petition:
    return Petition.objects.get(pk=p.pk)


@pytest.fixture
def batch(people):
    return BatchFactory(number=7)


def case(batch, seq, status=S.APPROVED, **kw):
    return PetitionFactory(batch=batch, seq=seq, status=status, **kw)


def test_disclosing_a_batch_publishes_its_approved_cases_masked(people, batch):
    first = case(batch, 1, complaint_text=PERSONAL)
    second = case(batch, 2)
    waiting = case(batch, 3, status=S.VERIFYING)
    disclosure = svc.batch_disclose(actor=people["publisher"], batch=batch)

    assert disclosure.number == 1 and disclosure.issued_on == timezone.localdate()
    assert set(disclosure.petitions.all()) == {first, second}
    assert [reload(p).status for p in (first, second, waiting)] == [S.DISCLOSED, S.DISCLOSED, S.VERIFYING]
    assert reload(first).disclosure_count == 1 and reload(waiting).disclosure_count == 0
    assert reload(first).disclosed_at is not None
    batch.refresh_from_db()
    assert batch.disclosed_at is not None
    row = disclosure.rows[0]
    assert row["seq"] == 1 and row["values"]["acceptance_no"] == first.acceptance_no
    published = row["values"]["complaint_text"]
    assert published == "举报人张某反映，其住机场路12号5栋**房，电话138****5678，粤A****5的货车夜间偷倒。"
    assert row["values"]["verdict"] == "属实" and row["values"]["closure_status"] == "已办结"
    assert list(row["values"]) == list(pub.KEYS)  # the official round-3 order
    events = set(ActionLog.objects.filter(object_id=str(first.pk)).values_list("action", flat=True))
    assert "petitions.petition.disclosed" in events
    assert ActionLog.objects.filter(action="petitions.batch.disclosed", object_id=str(batch.pk)).exists()


def test_nothing_to_disclose_is_refused_and_writes_nothing(people, batch):
    case(batch, 1, status=S.REPORTED)
    with pytest.raises(ServiceError, match="没有审核通过待公开"):
        svc.batch_disclose(actor=people["publisher"], batch=batch)
    assert not Disclosure.objects.exists()


def test_only_a_publisher_discloses(people, batch):
    case(batch, 1)
    with pytest.raises(NotPermitted):
        svc.batch_disclose(actor=people["water"], batch=batch)
    assert not Disclosure.objects.exists()


def test_the_date_of_disclosure_is_not_in_the_future_nor_before_the_batch(people, batch):
    case(batch, 1)
    with pytest.raises(ServiceError, match="不能晚于今天"):
        svc.batch_disclose(actor=people["publisher"], batch=batch, issued_on=timezone.localdate().replace(year=2999))
    with pytest.raises(ServiceError, match="不能早于交办日期"):
        svc.batch_disclose(actor=people["publisher"], batch=batch, issued_on=batch.received_on.replace(year=2000))


def test_a_stage_closed_case_is_disclosed_again_when_done(people, batch):
    staged = case(batch, 1, status=S.APPROVED)
    Petition.objects.filter(pk=staged.pk).update(closure_status=ClosureStatus.STAGE_CLOSED)
    first = svc.batch_disclose(actor=people["publisher"], batch=batch)
    assert first.rows[0]["values"]["closure_status"] == "阶段性办结"

    staged = svc.petition_resume(actor=people["coordinator"], petition=reload(staged), reason="阶段性办结，继续跟进")
    svc.petition_save_handling(
        actor=people["water"], petition=reload(staged), **{**HANDLING, "handling": "已完成截污纳管。"}
    )
    svc.petition_report(actor=people["water"], petition=reload(staged))
    svc.petition_approve(actor=people["coordinator"], petition=reload(staged))
    second = svc.batch_disclose(actor=people["publisher"], batch=batch)

    assert second.number == 2
    assert reload(staged).disclosure_count == 2 and reload(staged).status == S.DISCLOSED
    row = second.rows[0]
    assert row["values"]["closure_status"] == "已办结" and row["previous_closure"] == "阶段性办结"
    assert row["values"]["handling"] == "已完成截污纳管。"
    first.refresh_from_db()  # what was published first stays as it was
    assert first.rows[0]["values"]["closure_status"] == "阶段性办结"
    assert [g.number for g in pub.published_groups(batch)] == [1, 2]


def test_a_repeat_is_published_once_pointing_to_its_original(people, batch):
    original = case(batch, 1)
    repeat = case(batch, 2, status=S.RECEIVED, complaint_text="村民陈大文反映同一河涌发臭。")
    svc.petition_merge(actor=people["coordinator"], petition=repeat, original=original)
    disclosure = svc.batch_disclose(actor=people["publisher"], batch=batch)

    rows = {r["values"]["acceptance_no"]: r for r in disclosure.rows}
    row = rows[repeat.acceptance_no]
    assert row["repeat_of"] == original.acceptance_no
    no = original.acceptance_no
    assert row["values"]["investigation"] == f"重复件。与{no}号重复，办理情况见{no}号。"
    assert row["values"]["handling"] == f"办理情况见{no}号。"
    assert row["values"]["verdict"] == row["values"]["closure_status"] == pub.NOT_APPLICABLE
    assert row["values"]["complaint_text"] == "村民陈某反映同一河涌发臭。"  # its own complaint, masked
    assert reload(repeat).status == S.MERGED and reload(repeat).disclosure_count == 1
    assert ActionLog.objects.filter(action="petitions.petition.disclosed_as_repeat", object_id=str(repeat.pk)).exists()
    assert repeat not in pub.due_for_disclosure(batch)  # not published a second time


def test_a_history_batch_is_not_disclosed_again_but_reproduced_masked(people):
    history = BatchFactory(number=3, origin=Origin.HISTORY)
    PetitionFactory(
        batch=history,
        seq=1,
        origin=Origin.HISTORY,
        complaint_text=PERSONAL,
        investigation="经查，投诉人李明华反映情况属实。",
        verdict=Verdict.TRUE,
        handling="已责令整改。",
        closure_status=ClosureStatus.CLOSED,
    )
    with pytest.raises(ServiceError, match="往轮公开表"):
        svc.batch_disclose(actor=people["publisher"], batch=history)
    [group] = pub.published_groups(history)
    values = group.rows[0]["values"]
    assert values["investigation"] == "经查，投诉人李某反映情况属实。"
    assert "13812345678" not in values["complaint_text"] and values["verdict"] == "属实"


def test_the_publishers_correction_replaces_the_masking_while_the_text_stays_the_same(people, batch):
    petition = case(batch, 1, complaint_text="举报人张伟反映陈家祠旁工地噪声。")
    svc.petition_public_text_save(
        actor=people["publisher"], petition=petition, column="complaint_text", text="举报人反映某祠堂旁工地噪声。"
    )
    cell = pub.public_row(reload(petition)).cells["complaint_text"]
    assert cell.corrected and cell.text == "举报人反映某祠堂旁工地噪声。"
    assert reload(petition).public_texts["complaint_text"]["text"] == "举报人反映某祠堂旁工地噪声。"
    entry = ActionLog.objects.get(action="petitions.petition.public_text_saved", object_id=str(petition.pk))
    assert entry.payload["column"] == "complaint_text"

    # the unit rewrites its text: the correction was for the old one, the cell is masked afresh
    Petition.objects.filter(pk=petition.pk).update(complaint_text="投诉人李明华反映工地噪声。")
    cell = pub.public_row(reload(petition)).cells["complaint_text"]
    assert cell.stale and not cell.corrected and cell.text == "投诉人李某反映工地噪声。"


def test_a_correction_after_publication_reaches_the_public_rows(people, batch):
    petition = case(batch, 1)
    Petition.objects.filter(pk=petition.pk).update(handling="已约谈陈大文，责令整改。")  # no cue: the name is missed
    disclosure = svc.batch_disclose(actor=people["publisher"], batch=batch)
    assert disclosure.rows[0]["values"]["handling"] == "已约谈陈大文，责令整改。"
    svc.petition_public_text_save(
        actor=people["publisher"], petition=reload(petition), column="handling", text="已约谈陈某，责令整改。"
    )
    disclosure.refresh_from_db()
    assert disclosure.rows[0]["values"]["handling"] == "已约谈陈某，责令整改。"
    assert reload(petition).status == S.DISCLOSED


def test_an_empty_correction_goes_back_to_the_automatic_masking(people, batch):
    petition = case(batch, 1, complaint_text="举报人张伟反映。")
    svc.petition_public_text_save(actor=people["publisher"], petition=petition, column="complaint_text", text="人工")
    svc.petition_public_text_save(actor=people["publisher"], petition=reload(petition), column="complaint_text", text=" ")
    assert "complaint_text" not in reload(petition).public_texts
    assert pub.public_row(reload(petition)).cells["complaint_text"].text == "举报人张某反映。"


@pytest.mark.parametrize(("column", "who", "error"), [("acceptance_no", "publisher", ServiceError), ("handling", "water", NotPermitted)])
def test_corrections_only_of_text_columns_and_by_a_publisher(people, batch, column, who, error):
    petition = case(batch, 1)
    with pytest.raises(error):
        svc.petition_public_text_save(actor=people[who], petition=petition, column=column, text="x")
    assert reload(petition).public_texts == {}
