from django.urls import path

from ecoinspect.core.moves import move_view
from ecoinspect.core.views.imports import ImportPages

from . import (
    services,  # noqa: F401  (registers the move performers)
    views,
)
from .importers import TicketImporter
from .workflow import TICKET_WORKFLOW

app_name = "testapp"
ticket_import = ImportPages(TicketImporter, perms=("testapp.work", "testapp.assign"))
urlpatterns = [
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/remind/", views.ticket_remind, name="ticket_remind"),
    path("tickets/<int:pk>/move/<str:action>/", move_view(TICKET_WORKFLOW, views.ticket_or_404), name="ticket_move"),
    path("tickets/export/", views.TicketExportView.as_view(), name="ticket_export"),
    *ticket_import.urls("tickets/import/"),
]
