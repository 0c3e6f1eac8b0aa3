"""Taking a batch as it arrives: each official layout under a merged title, cells kept raw and flagged when
not understood, identity within the round, re-import, changed rows, the same number twice, history tables,
file kinds — through the import pipeline the page uses (upload → check → commit)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.models import ImportStatus
from ecoinspect.core.import_jobs import import_job_commit, import_job_create, import_job_validate
from ecoinspect.petitions.choices import ClosureStatus, Origin, SuggestionKind, Verdict
from ecoinspect.petitions.choices import PetitionStatus as S
from ecoinspect.petitions.importers import PetitionImporter
from ecoinspect.petitions.models import InspectionRound, Petition, Suggestion, TransferBatch
from tests.petitions import batch_files as bf


def upload(people, content: bytes, name: str = "第5批.xlsx", *, round="3", batch=5, received="2023-11-25"):
    """Upload and check a file as the coordinator does on the page; the job with its preview."""
    job = import_job_create(
        actor=people["coordinator"],
        kind=PetitionImporter.kind,
        uploaded=SimpleUploadedFile(name, content),
        options={"round": round, "batch": batch, "received_on": received},
    )
    import_job_validate(job)
    job.refresh_from_db()
    return job


def take(people, content: bytes, name: str = "第5批.xlsx", **options):
    job = upload(people, content, name, **options)
    assert job.status == ImportStatus.VALID, job.errors
    summary = import_job_commit(actor=people["coordinator"], job=job)
    return job, summary


def rows_of(job) -> dict[str, dict]:
    return {r["key"]: r for r in job.result["rows"]}


def test_a_transfer_table_under_a_merged_title_becomes_a_batch_of_cases_with_suggestions(people):
    job, summary = take(people, bf.xlsx(bf.TRANSFER, bf.CASES))
    assert job.result["header_row"] == 2 and job.result["titles"][0] == bf.ROUND3_TITLE
    assert len(summary["created"]) == 3 and summary["round_created"]
    rnd = InspectionRound.objects.get(name="第三轮中央生态环境保护督察")
    batch = TransferBatch.objects.get(round=rnd, number=5)
    assert batch.origin == Origin.TRANSFER and batch.file_name == "第5批.xlsx" and len(batch.file_sha256) == 64
    taihe, shijing, tianhe = (Petition.objects.get(acceptance_no=c[1]) for c in bf.CASES)
    assert taihe.status == S.RECEIVED and taihe.origin == Origin.TRANSFER and taihe.batch == batch
    assert str(taihe.town) == "太和镇" and "太和镇" in taihe.town_reason
    assert taihe.raw == dict(zip(bf.TRANSFER, bf.CASES[0], strict=True))
    assert taihe.channel == "phone" and shijing.channel == "letter"  # D… 来电, X… 来信
    assert str(shijing.town) == "石井街道" and shijing.problem_types == ["water"]
    # a place elsewhere: no town guessed, said as such, the cell flagged
    assert tianhe.town is None and tianhe.outside_district
    assert tianhe.flags == [
        {"column": "行政区域", "raw": "广州市天河区", "reason": "“广州市天河区”不是本区的镇街，也没有写明镇街。"}
    ]
    kinds = set(Suggestion.objects.filter(petition=taihe).values_list("kind", flat=True))
    assert {SuggestionKind.TOWN, SuggestionKind.DEPARTMENT, SuggestionKind.TYPES} <= kinds
    town = Suggestion.objects.get(petition=taihe, kind=SuggestionKind.TOWN)
    assert town.value["name"] == "太和镇" and town.value["status"] == "matched" and town.reasons
    assert ActionLog.objects.filter(action="petitions.suggestion.stored", object_id=str(taihe.pk)).exists()
    assert ActionLog.objects.filter(action="petitions.import.committed").count() == 1


def test_the_preview_shows_per_row_the_parsed_values_flags_and_suggestions(people):
    job = upload(people, bf.xlsx(bf.TRANSFER, bf.CASES))
    rows = rows_of(job)
    assert {r["action"] for r in rows.values()} == {"create"}
    taihe = rows["D3GD202311250001"]["extra"]
    assert taihe["town"]["name"] == "太和镇" and taihe["town"]["status"] == "matched"
    assert taihe["department"]["name"] == "生态环境分局"
    assert taihe["types"]["labels"] == ["大气"]
    tianhe = rows["D3GD202311250003"]["extra"]
    assert tianhe["town"]["status"] == "outside" and tianhe["flags"][0]["column"] == "行政区域"
    assert Petition.objects.count() == 0  # checking writes nothing


def test_a_round3_disclosure_table_is_an_earlier_rounds_record_with_its_results(people):
    rows = [
        bf.round3_row("1", "D3GD202311250001", "太和镇某厂排放废气。", "白云区", "大气", verdict="部分 属实。"),
        bf.round3_row("2", "D3GD202311250002", "江高镇某河涌发黑发臭。", "江高镇", "水污染", closure="阶段性办结"),
        bf.round3_row("3", "D3GD202311250003", "人和镇某养殖场臭味。", "人和镇", "畜禽养殖", verdict="情况待查", closure="办理中"),
    ]
    job, summary = take(people, bf.xlsx(bf.ROUND3, rows))
    assert job.result["layout"] == "disclosure" and summary["history"]
    batch = TransferBatch.objects.get(number=5)
    assert batch.origin == Origin.HISTORY
    first, second, third = Petition.objects.order_by("seq")
    assert {p.status for p in (first, second, third)} == {S.DISCLOSED}
    assert {p.origin for p in (first, second, third)} == {Origin.HISTORY}
    assert first.verdict == Verdict.PARTLY_TRUE and first.closure_status == ClosureStatus.CLOSED
    assert first.investigation == "经现场核查，反映情况属实。" and first.closure_target == "2023年12月底前完成整改"
    assert second.closure_status == ClosureStatus.STAGE_CLOSED and second.problem_types == ["water"]
    # the published 畜禽养殖 and the odour the complaint claims (docs/petitions/engine.md, labelling rules)
    assert third.closure_status == ClosureStatus.IN_PROGRESS and third.problem_types == ["air", "agriculture"]
    # a verdict nobody can read is kept raw and flagged, never refused
    assert third.verdict == "" and third.raw["是否属实"] == "情况待查"
    assert third.flags[0]["column"] == "是否属实" and third.flags[0]["raw"] == "情况待查"


def test_round2_and_provincial_variants_keep_their_extra_columns(people):
    headers = bf.PROVINCIAL
    row = ["１２", "Ｘ２ＧＤ２０１８０６１２００３４", "石门街道某采石场扬尘。", "白云区石门街道", "扬尘污染", "属实", "属实", "已责令停产。", "约谈1人", "区城管执法局", "张某", "来信", "重点件"]
    job, summary = take(people, bf.xlsx(headers, [row], title="第二轮中央生态环境保护督察交办件办理情况"), round="第二轮中央生态环境保护督察", batch=12)
    assert job.result["layout"] == "disclosure_round2"
    petition = Petition.objects.get()
    assert petition.round.number == 2 and petition.seq == 12
    assert petition.acceptance_no == "Ｘ２ＧＤ２０１８０６１２００３４"  # kept as written
    assert petition.acceptance_key == "X2GD201806120034" and petition.no_round == 2
    assert petition.responsible_unit_text == "区城管执法局" and petition.responsible_person_text == "张某"
    assert petition.channel == "letter" and petition.remark == "重点件"
    assert petition.accountability == "约谈1人" and petition.verdict == Verdict.TRUE
    assert petition.problem_types == ["air", "ecology"] and str(petition.town) == "石门街道"  # dust + quarrying


def test_bad_cells_are_kept_and_flagged_blank_and_title_rows_skipped_the_batch_taken(people):
    headers = [*bf.TRANSFER, "交办日期"]
    rows = [
        ["一、广州市白云区（3件）"],
        ["１", "Ｄ３ＧＤ　２０２３１１２５　０００１", "　太和镇某厂废气扰民。　", "广州市白云区(和龙水库上游)", "大气、扬尘污染", "2023年11月25日"],
        [],
        ["2", "D3GD202311250002", "某处有异味。", "火星区", "光污染", "11月26日"],
        bf.TRANSFER + ["交办日期"],  # the header repeated on a new page
        ["3", "D3GD202311250003", "龙归街道某工地噪声。", "三元里街", "噪声", "二〇二三年"],
    ]
    job, _summary = take(people, bf.xlsx(headers, rows, subtitle="（2023年11月25日）"))
    preview = rows_of(job)
    skipped = [r for r in job.result["rows"] if r["action"] == "skip"]
    assert len(skipped) == 2 and "跳过" in skipped[0]["summary"]
    first = Petition.objects.get(acceptance_key="D3GD202311250001")
    assert first.seq == 1 and first.complaint_text == "太和镇某厂废气扰民。"
    assert first.region_text == "广州市白云区(和龙水库上游)" and first.problem_types == ["air"]
    assert str(first.received_on) == "2023-11-25" and first.flags == []
    second = Petition.objects.get(acceptance_key="D3GD202311250002")
    assert str(second.received_on) == "2023-11-26"  # the table's year, from its title
    assert {f["column"] for f in second.flags} == {"行政区域", "问题类型"}
    assert second.type_text == "光污染" and second.problem_types == ["air"]  # unknown label flagged; 异味 from the text
    third = Petition.objects.get(acceptance_key="D3GD202311250003")
    assert str(third.town) in ("三元里街道", "龙归街道")
    assert third.flags[0]["column"] == "交办日期" and third.received_on.isoformat() == "2023-11-25"
    assert first.acceptance_no == "Ｄ３ＧＤ　２０２３１１２５　０００１"  # kept as written
    assert any("和龙水库上游" in n for n in preview["D3GD202311250001"]["notes"])


def test_a_region_merged_down_several_rows_counts_for_each(people):
    rows = [
        ["1", "D3GD202311250011", "某厂废气。", "白云区太和镇", "大气"],
        ["2", "D3GD202311250012", "某河涌发臭。", None, "水"],
    ]
    take(people, bf.xlsx(bf.TRANSFER, rows, merges=("D3:D4",)))
    second = Petition.objects.get(acceptance_key="D3GD202311250012")
    assert second.region_text == "白云区太和镇" and str(second.town) == "太和镇"


def test_importing_the_same_batch_again_changes_nothing(people):
    content = bf.xlsx(bf.TRANSFER, bf.CASES)
    take(people, content)
    logged = ActionLog.objects.count()
    job = upload(people, content)
    assert job.created_count == 0 and job.updated_count == 0 and job.unchanged_count == 3
    assert [r["action"] for r in job.result["rows"]] == ["unchanged"] * 3
    assert job.result["rows"][0]["extra"]["repeats"] == []  # a case is no repeat of itself
    summary = import_job_commit(actor=people["coordinator"], job=job)
    assert summary["created"] == [] and summary["updated"] == [] and summary["unchanged"] == 3
    assert Petition.objects.count() == 3 and TransferBatch.objects.count() == 1
    assert ActionLog.objects.count() == logged + 1  # only the import itself
    assert ActionLog.objects.order_by("seq").last().action == "petitions.import.committed"


def test_a_changed_row_shows_what_changed_and_is_updated_with_its_log(people):
    take(people, bf.xlsx(bf.TRANSFER, bf.CASES))
    changed = [list(c) for c in bf.CASES]
    changed[1][2] = "石井街道石井河沿岸有两个排水口晴天排放黑臭污水。"
    job = upload(people, bf.xlsx(bf.TRANSFER, changed))
    row = rows_of(job)["X3GD202311250002"]
    assert row["action"] == "update" and row["changes"] == ["交办问题基本情况"]
    assert row["extra"]["diff"] == [
        {"field": "交办问题基本情况", "before": bf.CASES[1][2], "after": changed[1][2]}
    ]
    assert job.unchanged_count == 2 and job.updated_count == 1
    import_job_commit(actor=people["coordinator"], job=job)
    petition = Petition.objects.get(acceptance_key="X3GD202311250002")
    assert petition.complaint_text == changed[1][2] and petition.version == 2
    entry = ActionLog.objects.get(action="petitions.petition.reimported")
    assert entry.object_id == str(petition.pk)
    assert entry.payload["before"]["complaint_text"] == bf.CASES[1][2]
    assert entry.payload["after"]["complaint_text"] == changed[1][2]


def test_the_same_number_twice_keeps_the_first_row_and_flags_it_naming_the_rows(people):
    rows = [
        ["1", "D3GD202311250001", "太和镇某厂废气。", "白云区", "大气"],
        ["2", "D3GD202311250001", "太和镇某厂废气。", "白云区", "大气"],
        ["3", "d3gd 2023 1125 0001", "江高镇某河涌发臭。", "白云区", "水"],
    ]
    job, summary = take(people, bf.xlsx(bf.TRANSFER, rows))
    assert summary["created"] == ["D3GD202311250001"] and summary["rows_skipped"] == 2
    by_row = {r["row"]: r for r in job.result["rows"]}
    assert "与第 3 行受理编号、内容相同" in by_row[4]["extra"]["skipped"]
    assert "与第 3 行受理编号相同但内容不同" in by_row[5]["extra"]["skipped"]
    petition = Petition.objects.get()
    assert petition.complaint_text == "太和镇某厂废气。"
    assert petition.flags[0]["column"] == "受理编号"
    assert "第 5 行受理编号相同但内容不同" in petition.flags[0]["reason"] and "江高镇" in petition.flags[0]["reason"]


def test_a_number_of_another_round_is_another_case(people):
    take(people, bf.xlsx(bf.TRANSFER, [["1", "1544", "太和镇某厂废气。", "白云区", "大气"]]), round="2", batch=1)
    take(people, bf.xlsx(bf.TRANSFER, [["1", "1544", "江高镇某河涌发臭。", "白云区", "水"]]), round="3", batch=1)
    assert sorted(Petition.objects.values_list("round__number", "complaint_text")) == [
        (2, "太和镇某厂废气。"),
        (3, "江高镇某河涌发臭。"),
    ]


def test_an_earlier_rounds_history_is_what_a_new_case_is_screened_against(people):
    text = "白云区太和镇大源村某五金厂夜间排放刺鼻废气，附近居民无法开窗。"
    take(people, bf.xlsx(bf.ROUND2, [["1", "X2GD201806120034", text, "白云区", "大气", "属实", "属实", "已整改", "无"]]), round="2", batch=3)
    original = Petition.objects.get()
    job, _summary = take(people, bf.xlsx(bf.TRANSFER, bf.CASES))
    repeats = rows_of(job)["D3GD202311250001"]["extra"]["repeats"]
    assert repeats and repeats[0]["acceptance_no"] == "X2GD201806120034" and repeats[0]["petition"] == original.pk
    new = Petition.objects.get(acceptance_key="D3GD202311250001")
    duplicate = Suggestion.objects.get(petition=new, kind=SuggestionKind.DUPLICATE)
    assert duplicate.value["petition"] == original.pk and duplicate.score > 0.5


@pytest.mark.parametrize(
    ("headers", "rows", "reason"),
    [
        (["姓名", "电话"], [["张三", "123"]], "没有找到本模板的表头行"),
        (["序号", "交办问题基本情况", "行政区域", "问题类型"], [["1", "某厂废气", "白云区", "大气"]], "缺少必填列：受理编号"),
        (["序号", "受理编号", "行政区域", "问题类型"], [["1", "D3GD202311250001", "白云区", "大气"]], "缺少必填列：交办问题基本情况"),
    ],
)
def test_a_file_without_a_header_or_its_number_or_complaint_column_is_refused_with_the_reason(people, headers, rows, reason):
    job = upload(people, bf.xlsx(headers, rows))
    assert job.status == ImportStatus.INVALID
    assert reason in job.errors[0]["reason"]
    assert Petition.objects.count() == 0


def test_a_row_with_a_complaint_and_no_number_stops_the_whole_batch(people):
    rows = [bf.CASES[0], ["2", "", "某处有异味。", "白云区", "大气"]]
    job = upload(people, bf.xlsx(bf.TRANSFER, rows))
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {"row": 4, "column": "受理编号", "value": "", "reason": "该行有问题内容但没有受理编号，无法识别，请补上受理编号。"}
    ]
    with pytest.raises(ServiceError):
        import_job_commit(actor=people["coordinator"], job=job)
    assert Petition.objects.count() == 0 and TransferBatch.objects.count() == 0


def test_never_half_a_batch(people):
    """A case registered between the check and the commit makes the commit fail: nothing of the batch stays."""
    importer = PetitionImporter(actor=people["coordinator"], options={"round": "3", "batch": 5, "received_on": "2023-11-25"})
    preview = importer.validate(bf.xlsx(bf.TRANSFER, bf.CASES))
    from django.db import transaction

    from ecoinspect.petitions.services import petition_intake

    rnd = InspectionRound.objects.create(name="第三轮中央生态环境保护督察", number=3, stationed_on="2023-11-20")
    petition_intake(actor=people["coordinator"], round=rnd, acceptance_no=bf.CASES[2][1], complaint_text="另一件", received_on=rnd.stationed_on)
    importer.cache["spec"] = importer.cache["spec"].__class__(rnd, rnd.name, 3, rnd.kind)
    with pytest.raises(ServiceError), transaction.atomic():
        importer.write(preview, None)
    assert list(Petition.objects.values_list("complaint_text", flat=True)) == ["另一件"]
    assert TransferBatch.objects.count() == 0


def test_csv_in_gbk_and_utf8_and_a_legacy_xls_are_read(people):
    take(people, bf.csv_bytes(bf.TRANSFER, bf.CASES[:1], "gbk"), "第1批.csv", batch=1)
    take(people, bf.csv_bytes(bf.TRANSFER, bf.CASES[1:2], "utf-8-sig"), "第2批.csv", batch=2)
    assert Petition.objects.count() == 2
    assert Petition.objects.get(acceptance_key="D3GD202311250001").complaint_text == bf.CASES[0][2]
    pytest.importorskip("xlwt")
    job, _summary = take(people, bf.xls(bf.TRANSFER, bf.CASES[2:]), "第3批.xls", batch=3)
    assert job.result["header_row"] == 2
    assert Petition.objects.get(acceptance_key="D3GD202311250003").region_text == "广州市天河区"


def test_a_file_over_the_batch_limit_is_refused_before_reading(people, settings):
    big = b"PK" + b"\0" * (PetitionImporter.size_limit() + 1)
    with pytest.raises(ServiceError) as refused:
        upload(people, big, "太大.xlsx")
    assert "超过" in refused.value.messages[0] and "MB" in refused.value.messages[0]
    assert Petition.objects.count() == 0
