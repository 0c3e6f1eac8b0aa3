from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("sector-duties/", views.SectorDutyListView.as_view(), name="sectorduty_list"),
    path("sector-duties/new/", views.SectorDutyCreateView.as_view(), name="sectorduty_create"),
    path("sector-duties/<int:pk>/edit/", views.SectorDutyEditView.as_view(), name="sectorduty_edit"),
    path("sector-duties/<int:pk>/delete/", views.sector_duty_delete, name="sectorduty_delete"),
    path("places/", views.PlaceListView.as_view(), name="place_list"),
    path("places/new/", views.PlaceCreateView.as_view(), name="place_create"),
    path("places/<int:pk>/edit/", views.PlaceEditView.as_view(), name="place_edit"),
    path("workdays/", views.workday_list, name="workday_list"),
    path("workdays/<int:pk>/delete/", views.workday_delete, name="workday_delete"),
    path("roles/", views.role_matrix, name="role_matrix"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.api_token_revoke, name="apitoken_revoke"),
]
