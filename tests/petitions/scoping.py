"""The petitions app's pages and API for the cross-unit harness (tests/scoping.py).

A case is seen by the units it is assigned to and by the town it lies in, and by the district-wide roles;
it is handled (signed for, reported) only by the units it is assigned to.
"""

from __future__ import annotations

from decimal import Decimal

from ecoinspect.petitions.choices import PetitionStatus as S
from tests.factories import BatchFactory, PetitionFactory
from tests.factories.petitions import HANDLING, advance_petition
from tests.scoping import Case


def _case(ctx, marker: str, state: str, lead: str = "swj", town: str | None = None):
    units = ctx["structure"]
    return PetitionFactory(
        status=state,
        complaint_text=f"{marker} 河涌发黑发臭。",
        region_text="",
        town=units[town] if town else None,
        lead=units[lead],
    )


def case(marker: str, state: str = S.ASSIGNED, arg: str = "pk", **where):
    def build(ctx):
        return {arg: _case(ctx, marker, state, **where).pk}, marker

    return build


def listed(marker: str, state: str = S.ASSIGNED, **where):
    def build(ctx):
        _case(ctx, marker, state, **where)
        return {}, marker

    return build


def _batch(ctx, marker, **where):
    """A batch (its file name carries the marker) holding one case of the owner's unit."""
    batch = BatchFactory(file_name=f"{marker}.xlsx")
    p = _case(ctx, marker, S.ASSIGNED, **where)
    p.batch = batch
    p.save(update_fields=["batch"])
    return batch


def batch_of(marker: str, listed: bool = False, **where):
    def build(ctx):
        batch = _batch(ctx, marker, **where)
        return ({} if listed else {"pk": batch.pk}), marker

    return build


def moving(marker: str, state: str, action: str, **where):
    def build(ctx):
        return {"pk": _case(ctx, marker, state, **where).pk, "action": action}, marker

    return build


def _approved_batch(marker: str):
    """A batch holding one case approved for disclosure, the marker in its complaint."""
    batch = BatchFactory(file_name=f"{marker}.xlsx")
    PetitionFactory(batch=batch, seq=1, status=S.APPROVED, complaint_text=f"{marker} 河涌发黑发臭。")
    return batch


def approved_batch(marker: str):
    def build(ctx):
        return {"pk": _approved_batch(marker).pk}, marker

    return build


def handled_with_fine(marker: str, lead: str = "swj"):
    """A case of the owner's unit, handled and reported with a fine whose amount is the marker (the figures
    pages show sums, not cases: an outsider's figures must not contain it)."""

    def build(ctx):
        petition = PetitionFactory(complaint_text="河涌发黑发臭。", region_text="")
        advance_petition(
            petition, S.REPORTED, lead=ctx["structure"][lead], handling=HANDLING | {"fine_amount": Decimal(marker)}
        )
        return {}, marker

    return build


def public_text_of(marker: str):
    def build(ctx):
        p = _approved_batch(marker).petitions.get()
        return {"pk": p.pk, "column": "complaint_text"}, marker

    return build


def hotspot(marker: str, lead: str = "swj"):
    """Two complaints about the same facility (its name carries the marker), both the owner's."""

    def build(ctx):
        for n in (1, 2):
            PetitionFactory(
                status=S.ASSIGNED,
                complaint_text=f"{marker}五金厂夜间生产噪声扰民（第{n}次反映）。",
                region_text="",
                lead=ctx["structure"][lead],
            )
        return {}, marker

    return build


CASES = [
    Case("petitions:petition_list", listed("PET-LIST-1"), owner="water", outsider="housing", kind="list"),
    Case(
        "petitions:petition_list",
        listed("PET-LIST-2", lead="zjj", town="sanyuanli"),
        owner="sanyuanli",
        outsider="jingtai",
        kind="list",
    ),
    Case(
        "petitions:petition_list",
        listed("PET-LIST-3"),
        owner="auditor",
        outsider="taihe",
        kind="list",
        query="format=csv",
    ),
    Case("petitions:petition_detail", case("PET-DETAIL-1"), owner="water", outsider="housing"),
    Case("petitions:petition_detail", case("PET-DETAIL-2", lead="zjj", town="jingtai"), owner="jingtai", outsider="sanyuanli"),
    Case(
        "petitions:petition_move",
        moving("PET-SIGN-1", S.ASSIGNED, "sign"),
        owner="water",
        outsider="housing",
        method="post",
    ),
    Case(
        "petitions:petition_move",
        moving("PET-APPROVE-1", S.REPORTED, "approve"),
        owner="coordinator",
        outsider="water",
        method="post",
    ),
    Case("petitions:batch_list", batch_of("PET-BATCH-LIST-1", listed=True), owner="water", outsider="housing", kind="list"),
    Case("petitions:batch_detail", batch_of("PET-BATCH-1"), owner="water", outsider="housing"),
    Case("api:petition_list", listed("PET-API-LIST-1"), owner="water", outsider="sanyuanli", kind="list"),
    Case("api:petition_detail", case("PET-API-1", arg="petition_id"), owner="water", outsider="sanyuanli"),
    Case("petitions:figures", handled_with_fine("777.77"), owner="water", outsider="housing", kind="list"),
    Case("petitions:figures", handled_with_fine("313.13", lead="sanyuanli"), owner="sanyuanli", outsider="jingtai", kind="list"),
    Case("petitions:figures_report", handled_with_fine("646.46"), owner="water", outsider="housing", kind="list"),
    Case("petitions:hotspots", hotspot("PETHOTA"), owner="water", outsider="housing", kind="list"),
    Case("petitions:hotspots", hotspot("PETHOTB"), owner="water", outsider="sanyuanli", kind="list", query="format=xlsx"),
]

# disclosure is the publishers' (district-wide): a unit's staff gets 403, even for its own cases (the same
# view's ?format=xlsx file is checked in tests/petitions/views/test_disclosure_pages.py)
CASES += [
    Case("petitions:batch_disclosure", approved_batch("PET-DISCLOSE-PREVIEW-1"), owner="publisher", outsider="water"),
    Case(
        "petitions:batch_disclose",
        approved_batch("PET-DISCLOSE-1"),
        owner="publisher",
        outsider="water",
        method="post",
    ),
    Case("petitions:public_text_edit", public_text_of("PET-PUBLIC-TEXT-1"), owner="publisher", outsider="water"),
    Case("petitions:public_text_edit", public_text_of("PET-PUBLIC-TEXT-2"), owner="coordinator", outsider="sanyuanli"),
]

OPEN: dict[str, str] = {
    "petitions_public:index": "public (no log-in): the batches that have been disclosed, nothing unpublished "
    "(tests/petitions/views/test_public.py)",
    "petitions_public:batch": "public (no log-in): a disclosed batch's tables exactly as published, masked; "
    "404 for a batch not disclosed (tests/petitions/views/test_public.py)",
    "petitions_public:status": "public (no log-in): a case's public stage and published results by 受理编号, "
    "no personal data, rate-limited per address (tests/petitions/views/test_public.py)",
}
