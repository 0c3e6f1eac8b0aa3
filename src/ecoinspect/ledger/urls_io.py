"""Import and export pages of the ledger (Excel templates, preview, official tables)."""

from django.urls import path

from .views import exports
from .views.imports import problem_import

urlpatterns = [
    *problem_import.urls("import/"),
    path("export/progress/", exports.export_progress, name="export_progress"),
    path("export/closing-notice/", exports.export_closing_notice, name="export_closing_notice"),
]
