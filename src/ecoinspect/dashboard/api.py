from __future__ import annotations

from ninja import Router, Schema

from ecoinspect.core.queues import queue_summary
from ecoinspect.core.workflow import workflow_for

router = Router(tags=["dashboard"])


class QueueItemOut(Schema):
    id: int
    title: str
    status: str
    status_label: str
    url: str


class QueueOut(Schema):
    model: str
    label: str
    count: int
    items: list[QueueItemOut]


@router.get("/queue", response=list[QueueOut], summary="我的待办：本人所在单位需要办理的事项")
def queue(request):
    result = []
    for entry in queue_summary(request.user):
        model = entry["model"]
        field = workflow_for(model).state_field
        result.append(
            {
                "model": model._meta.label_lower,
                "label": str(entry["label"]),
                "count": entry["count"],
                "items": [
                    {
                        "id": obj.pk,
                        "title": str(obj),
                        "status": getattr(obj, field),
                        "status_label": str(getattr(obj, f"get_{field}_display")()),
                        "url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
                    }
                    for obj in entry["items"]
                ],
            }
        )
    return result
