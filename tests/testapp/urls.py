from django.urls import path

from ecoinspect.core.moves import move_view

from . import (
    services,  # noqa: F401  (registers the move performers)
    views,
)
from .workflow import TICKET_WORKFLOW

app_name = "testapp"
urlpatterns = [
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/move/<str:action>/", move_view(TICKET_WORKFLOW, views.ticket_or_404), name="ticket_move"),
]
