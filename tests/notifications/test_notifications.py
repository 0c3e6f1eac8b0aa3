"""Notifications: a message to a unit reaches its active members after the commit; each person sees their own."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from ecoinspect.notifications.models import Notification
from ecoinspect.notifications.services import notification_mark_read, notification_queue, notification_send
from ecoinspect.orgs.models import Membership


def recipients() -> set[str]:
    return set(Notification.objects.values_list("recipient__username", flat=True))


def test_a_message_to_a_unit_reaches_each_of_its_active_members(structure, people, make_user):
    colleague = make_user("sanyuanli-2", structure["sanyuanli"], "staff")
    former = make_user("sanyuanli-old", structure["sanyuanli"], "staff")
    Membership.objects.filter(user=former).update(is_active=False)
    count = notification_send(recipients=[structure["sanyuanli"]], title="请于3个工作日内反馈核查情况")
    assert count == 2
    assert recipients() == {"sanyuanli", colleague.username}
    assert set(Notification.objects.values_list("unit", flat=True)) == {structure["sanyuanli"].pk}


def test_units_and_people_together_reach_each_person_once(structure, people):
    notification_send(
        recipients=[structure["swj"], people["water"], people["leader"], structure["swj"]], title="会议通知"
    )
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["leader", "water"]


def test_queued_messages_go_out_only_when_the_work_is_committed(
    structure, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(recipients=[structure["taihe"]], title="新交办事项")
        assert not Notification.objects.exists()
    assert recipients() == {"taihe"}


def test_queued_messages_of_rolled_back_work_are_never_sent(
    structure, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notification_queue(recipients=[structure["taihe"]], title="不应发出")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()


def test_the_inbox_lists_only_ones_own_messages(login, people):
    notification_send(recipients=[people["sanyuanli"]], title="给三元里的通知")
    notification_send(recipients=[people["jingtai"]], title="给景泰的通知")
    page = login(people["sanyuanli"]).get(reverse("notifications:inbox")).content.decode()
    assert "给三元里的通知" in page and "给景泰的通知" not in page
    assert 'data-testid="unread-count">1<' in page


def test_opening_a_message_marks_it_read_and_follows_its_link(login, people, structure):
    notification_send(
        recipients=[people["sanyuanli"]], title="请查看", url=structure["sanyuanli"].get_absolute_url()
    )
    note = Notification.objects.get()
    client = login(people["sanyuanli"])
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == structure["sanyuanli"].get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("notifications:inbox")).content.decode()


def test_a_link_to_another_site_is_not_followed(login, people):
    notification_send(recipients=[people["sanyuanli"]], title="外部链接", url="https://evil.example.com/")
    note = Notification.objects.get()
    response = login(people["sanyuanli"]).get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_all_read_touches_only_ones_own(login, people):
    notification_send(recipients=[people["sanyuanli"], people["jingtai"]], title="全区通知")
    response = login(people["sanyuanli"]).post(reverse("notifications:mark_read"), follow=True)
    assert "已标记 1 条为已读" in response.content.decode()
    assert Notification.objects.get(recipient=people["sanyuanli"]).read_at is not None
    assert Notification.objects.get(recipient=people["jingtai"]).read_at is None


def test_naming_someone_elses_message_marks_nothing(login, people):
    notification_send(recipients=[people["jingtai"]], title="景泰的通知")
    theirs = Notification.objects.get()
    login(people["sanyuanli"]).post(reverse("notifications:mark_read"), {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert notification_mark_read(user=people["sanyuanli"], notification_ids=[theirs.pk]) == 0


def test_only_unread_filter(login, people):
    notification_send(recipients=[people["sanyuanli"]], title="已读的")
    notification_mark_read(user=people["sanyuanli"])
    notification_send(recipients=[people["sanyuanli"]], title="未读的")
    page = login(people["sanyuanli"]).get(reverse("notifications:inbox"), {"unread": 1}).content.decode()
    assert "未读的" in page and "已读的" not in page
