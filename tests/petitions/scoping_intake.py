"""The intake pages for the cross-unit harness (tests/scoping.py): an import job is its uploader's and the
office's (district-wide petitions.assign); a unit's person sees none of it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ecoinspect.core.import_jobs import import_job_create, import_job_validate
from ecoinspect.petitions.importers import PetitionImporter
from tests.petitions import batch_files as bf
from tests.scoping import Case


def _job(owner: str, marker: str):
    """A checked batch uploaded by ``owner`` (file name = marker); the URL takes its pk."""

    def build(ctx):
        job = import_job_create(
            actor=ctx["people"][owner],
            kind=PetitionImporter.kind,
            uploaded=SimpleUploadedFile(f"{marker}.xlsx", bf.xlsx(bf.TRANSFER, bf.CASES)),
            options={"round": "3", "batch": 5, "received_on": "2023-11-25"},
        )
        import_job_validate(job)
        return {"pk": job.pk}, marker

    return build


def _jobs(owner: str, marker: str):
    def build(ctx):
        _job(owner, marker)(ctx)
        return {}, marker

    return build


CASES = [
    Case("petitions:import_upload", _jobs("coordinator", "PET-IMPORT-1"), owner="coordinator", outsider="water", kind="list"),
    Case("petitions:import_preview", _job("coordinator", "PET-IMPORT-2"), owner="coordinator", outsider="water"),
    Case("petitions:import_preview", _job("coordinator", "PET-IMPORT-3"), owner="coordinator", outsider="sanyuanli"),
    Case("petitions:import_progress", _job("coordinator", "PET-IMPORT-4"), owner="coordinator", outsider="water"),
    Case(
        "petitions:import_commit",
        _job("coordinator", "PET-IMPORT-4"),
        owner="coordinator",
        outsider="housing",
        method="post",
    ),
]

OPEN = {
    "petitions:import_template": "the blank template, the same for everyone (the transfer table's columns)",
    "petitions:petition_register": "the blank form to type a case in: it shows no case; only holders of "
    "petitions.assign (the office) may open it, others get 403 (tests/petitions/test_intake_pages.py)",
}
