"""角色权限: the page shows, per app, what each role may do — read from the apps' own declarations."""

from __future__ import annotations

from django.urls import reverse

from ecoinspect.orgs.roles import Role, grant, register_app


def cell(html: str, app: str, role: str, verb: str) -> str:
    """The data-held flag of one cell of the rendered matrix."""
    block = html.split(f'data-app="{app}"', 1)[1].split("data-app=", 1)[0]
    row = block.split(f'data-role="{role}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'data-verb="{verb}" data-held="', 1)[1][0]


def test_the_matrix_shows_each_apps_grants_to_every_role(login, people):
    html = login(people["sanyuanli"]).get(reverse("orgs:role_matrix")).content.decode()
    assert cell(html, "ledger", "staff", "work") == "1"
    assert cell(html, "ledger", "staff", "assign") == "0"
    assert cell(html, "ledger", "coordinator", "assign") == "1"
    assert cell(html, "audit", "auditor", "audit") == "1"
    assert cell(html, "audit", "staff", "audit") == "0"
    assert cell(html, "orgs", "coordinator", "manage") == "1"


def test_a_newly_registered_app_appears_with_its_own_verbs(login, people):
    from ecoinspect.orgs import roles

    register_app("otherapp", label="另一模块", verbs={"verify": "核查"}, grants={Role.STAFF: grant({"verify"})})
    try:
        html = login(people["leader"]).get(reverse("orgs:role_matrix")).content.decode()
        assert "另一模块" in html
        assert cell(html, "otherapp", "staff", "verify") == "1"
        assert cell(html, "otherapp", "coordinator", "verify") == "0"  # the ledger's grant does not carry over
    finally:
        roles._APPS.pop("otherapp")


def test_a_person_without_a_role_is_refused(login, people):
    assert login(people["nobody"]).get(reverse("orgs:role_matrix")).status_code == 403


def test_the_navigation_links_the_matrix(login, people):
    html = login(people["taihe"]).get(reverse("dashboard:home")).content.decode()
    assert reverse("orgs:role_matrix") in html
