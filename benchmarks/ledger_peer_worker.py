"""Runs inside benchmarks/out/peer-venv (django-helpdesk 2.6.1) for ledger_bench.py; see ledger_peer.py.

Seeds the peer the way ledger_seed.py seeds ours — **with bulk_create, bypassing the application's own
code paths** — 100,000 tickets over 36 queues (about 2,800 a queue, one staff member per queue who is
assigned most of its open tickets) and 500,000 follow-ups (20 tickets with exactly 50, the rest spread
evenly), then times with Django's test Client, as ours:

* queue list — the ticket list page filtered to one queue (``/tickets/?queue=<id>``) *and* the
  DataTables request that page makes for its rows (``/datatables_ticket_list/<query>``): the peer draws
  its table in two requests, so the queue list is timed as both, one after the other, as the staff member
  of that queue;
* dashboard — ``/dashboard/`` as a queue's staff member (their tickets and the open-ticket statistics of
  every queue);
* ticket page with 50 follow-ups — ``/tickets/<id>/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_timing import fmt_ms, summary, time_calls
from seeding import spread_children


def say(text: str) -> None:
    print(f"[peer] {text}", file=sys.stderr, flush=True)


def seed(tickets: int, followups: int, *, detail_tickets: int = 20, detail_followups: int = 50) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from helpdesk.models import FollowUp, Queue, Ticket

    began = time.monotonic()
    rng = random.Random(20260914)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = OFF")
    User = get_user_model()
    queues = Queue.objects.bulk_create(
        Queue(
            title=f"白云区单位 {i + 1:02d}",
            slug=f"unit-{i + 1:02d}",
            email_address=f"unit{i + 1}@example.org",
        )
        for i in range(36)
    )
    staff = []
    for i in range(36):
        user = User(username=f"staff{i + 1:02d}", email=f"staff{i + 1}@example.org", is_staff=True)
        user.set_unusable_password()  # pages are requested with force_login
        user.save()  # post_save gives each its helpdesk UserSettings
        staff.append(user)
    now = timezone.now()
    statuses = [1, 2, 3, 4, 5]
    weights = [45, 5, 10, 35, 5]
    batch = []
    t0 = time.monotonic()
    for i in range(tickets):
        q = i % 36
        created = now - dt.timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
        status = rng.choices(statuses, weights)[0]
        batch.append(
            Ticket(
                title=f"【基准】单位 {q + 1} 整改问题 {i + 1}：河涌沿线排水口污水直排",
                queue=queues[q],
                created=created,
                modified=created,
                submitter_email=f"citizen{i % 5000}@example.org",
                assigned_to=staff[q] if rng.random() < 0.7 else None,
                status=status,
                description="群众反映河涌沿线排水口旱季有污水排出，伴有明显异味，请核查处理。",
                priority=rng.randint(1, 5),
                due_date=created + dt.timedelta(days=rng.randint(20, 200)),
            )
        )
        if len(batch) >= 5000:
            with transaction.atomic():
                Ticket.objects.bulk_create(batch, batch_size=2000)
            batch = []
    if batch:
        with transaction.atomic():
            Ticket.objects.bulk_create(batch, batch_size=2000)
    say(f"{tickets:,} tickets (bulk_create) in {time.monotonic() - t0:.1f} s")

    t0 = time.monotonic()
    ids = list(Ticket.objects.order_by("id").values_list("id", "queue_id", "created"))
    step = max(len(ids) // detail_tickets, 1)
    detail = [ids[i * step] for i in range(detail_tickets)]
    detail_set = {row[0] for row in detail}
    others = [row for row in ids if row[0] not in detail_set]
    staff_by_queue = {queue.pk: staff[i] for i, queue in enumerate(queues)}
    def followups_for(ticket_id, queue_id, created, n):
        for k in range(n):
            yield FollowUp(
                ticket_id=ticket_id,
                date=created + dt.timedelta(days=k + 1),
                title="整改进展",
                comment="已完成现场排查，整改工程推进中，完成总工程量的 40%。",
                public=True,
                user=staff_by_queue[queue_id],
            )

    def write(batch):
        with transaction.atomic():
            FollowUp.objects.bulk_create(batch, batch_size=5000)

    written = spread_children(
        detail,
        others,
        total=followups,
        per_detail=detail_followups,
        make=lambda parent, n: followups_for(*parent, n),
        write=write,
    )
    say(f"{written:,} follow-ups (bulk_create) in {time.monotonic() - t0:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "queues": len(queues),
        "seconds": round(time.monotonic() - began, 1),
        "_queues": [q.pk for q in queues],
        "_staff": [u.pk for u in staff],
        "_detail": [row[0] for row in detail],
    }


def pages(seeded: dict, requests: int, budget: float) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from helpdesk.query import query_to_base64

    User = get_user_model()
    staff = list(User.objects.filter(pk__in=seeded["_staff"]).order_by("pk"))
    clients = []
    for user in staff:
        client = Client()
        client.force_login(user)
        clients.append(client)

    def get(client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response

    queue_urls = []
    for i, queue_id in enumerate(seeded["_queues"]):
        query = query_to_base64(
            {
                "filtering": {"queue__id__in": [queue_id]},
                "filtering_null": {},
                "sorting": "created",
                "search_string": "",
                "sortreverse": None,
            }
        )
        queue_urls.append(
            (
                clients[i],
                f"/tickets/?queue={queue_id}",
                f"/datatables_ticket_list/{query}?draw=1&start=0&length=25",
            )
        )

    def queue_list(i):
        client, page, data = queue_urls[i % len(queue_urls)]
        get(client, page)
        response = get(client, data)
        if b'"data"' not in response.content:
            raise RuntimeError("no rows in the DataTables response")

    def count(call) -> int:
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    results = {}
    samples = time_calls(queue_list, requests=requests, warmup=len(queue_urls), budget_s=budget)
    results["queue_list"] = {
        **summary(samples),
        "queries": count(lambda: queue_list(0)),
        "note": "list page + its DataTables data request",
    }
    page_only = time_calls(lambda i: get(*queue_urls[i % 36][:2]), requests=min(requests, 100), warmup=3)
    data_only = time_calls(
        lambda i: get(queue_urls[i % 36][0], queue_urls[i % 36][2]), requests=min(requests, 100), warmup=3
    )
    results["queue_list_page_only"] = {**summary(page_only), "note": "HTML page alone"}
    results["queue_list_data_only"] = {**summary(data_only), "note": "DataTables JSON alone (25 rows)"}
    say(f"queue list p95 {fmt_ms(results['queue_list']['p95'])}")

    samples = time_calls(
        lambda i: get(clients[i % 36], "/dashboard/"), requests=requests, warmup=1, budget_s=budget
    )
    results["dashboard"] = {
        **summary(samples),
        "queries": count(lambda: get(clients[0], "/dashboard/")),
        "note": f"{len(samples)} requests within the {budget:.0f} s budget"
        if len(samples) < requests
        else "",
    }
    say(f"dashboard p95 {fmt_ms(results['dashboard']['p95'])} ({len(samples)} requests)")

    detail = [f"/tickets/{pk}/" for pk in seeded["_detail"]]
    samples = time_calls(
        lambda i: get(clients[0], detail[i % len(detail)]), requests=requests, warmup=3, budget_s=budget
    )
    results["ticket_detail"] = {
        **summary(samples),
        "queries": count(lambda: get(clients[0], detail[0])),
        "note": "ticket with 50 follow-ups",
    }
    say(f"ticket page p95 {fmt_ms(results['ticket_detail']['p95'])}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--budget", type=float, default=300.0)
    parser.add_argument("--json-out", required=True)
    args = parser.parse_args()

    import importlib.metadata
    import warnings

    import django

    # helpdesk's dashboard compares dates with naive datetimes; the warning says nothing about speed
    warnings.filterwarnings("ignore", message=".*received a naive datetime.*", category=RuntimeWarning)

    django.setup()
    from django.core.management import call_command

    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    say(f"{args.db}: migrated in {time.monotonic() - t0:.1f} s; seeding (bulk_create)")
    seeded = seed(args.tickets, args.followups)
    result = {
        "db": args.db,
        "version": importlib.metadata.version("django-helpdesk"),
        "django": django.get_version(),
        "seed": {k: v for k, v in seeded.items() if not k.startswith("_")},
        "pages": pages(seeded, args.requests, args.budget),
    }
    Path(args.json_out).write_text(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
