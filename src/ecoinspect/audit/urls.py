from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("actions/", views.ActionLogListView.as_view(), name="actionlog_list"),
    path("changes/", views.ChangeLogListView.as_view(), name="changelog_list"),
    path("verify/", views.verify, name="verify"),
]
