"""The petitions app's pages and API for the cross-unit harness (tests/scoping.py).

A case is seen by the units it is assigned to and by the town it lies in, and by the district-wide roles;
it is handled (signed for, reported) only by the units it is assigned to.
"""

from __future__ import annotations

from ecoinspect.petitions.choices import PetitionStatus as S
from tests.factories import BatchFactory, PetitionFactory
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
]

OPEN: dict[str, str] = {}
