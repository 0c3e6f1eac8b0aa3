from django.urls import path

from ecoinspect.core.views.imports import ImportPages

from . import views
from .importers import TicketImporter

app_name = "testapp"
ticket_import = ImportPages(TicketImporter, perms=("testapp.work", "testapp.assign"))
urlpatterns = [
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/export/", views.TicketExportView.as_view(), name="ticket_export"),
    *ticket_import.urls("tickets/import/"),
]
