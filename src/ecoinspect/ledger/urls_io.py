"""Import and export pages of the ledger (Excel templates, preview, official tables)."""

from django.urls import path

from ecoinspect.core.uploads import upload_limited

from .views import exports, imports

urlpatterns = [
    path("import/template/", imports.import_template, name="import_template"),
    path("import/", upload_limited(imports.import_upload), name="import_upload"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/<int:pk>/commit/", imports.import_commit, name="import_commit"),
    path("export/progress/", exports.export_progress, name="export_progress"),
    path("export/closing-notice/", exports.export_closing_notice, name="export_closing_notice"),
]
