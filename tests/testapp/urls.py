from django.urls import path

from . import views

app_name = "testapp"
urlpatterns = [
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/remind/", views.ticket_remind, name="ticket_remind"),
]
