from django.urls import path

from .views import cases, intake

app_name = "petitions"

urlpatterns = [
    path("", cases.PetitionListView.as_view(), name="petition_list"),
    path("<int:pk>/", cases.petition_detail, name="petition_detail"),
    path("<int:pk>/move/<slug:action>/", cases.petition_move, name="petition_move"),
    path("batches/", cases.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", cases.batch_detail, name="batch_detail"),
    *intake.batch_import.urls("batches/import/"),
    path("register/", intake.PetitionRegisterView.as_view(), name="petition_register"),
]
