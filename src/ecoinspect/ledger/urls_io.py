"""Import and export pages of the ledger (Excel templates, preview, official tables)."""

from django.urls import path

from .views import exports
from .views.imports import problem_import

urlpatterns = [
    *problem_import.urls("import/"),
    path("export/progress/", exports.ProgressExportView.as_view(), name="export_progress"),
    path("export/closing-notice/", exports.ClosingNoticeExportView.as_view(), name="export_closing_notice"),
]
