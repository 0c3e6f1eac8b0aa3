"""我的导出: the pages of large exports built by the worker (common.export_pages)."""

from django.urls import path

from . import export_pages

app_name = "exports"

urlpatterns = [
    path("", export_pages.job_list, name="list"),
    path("<int:pk>/", export_pages.job_page, name="job"),
    path("<int:pk>/progress/", export_pages.job_progress, name="progress"),
    path("<int:pk>/download/", export_pages.job_download, name="download"),
]
