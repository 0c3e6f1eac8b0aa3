from django.urls import path

from .views import cases, disclosure, intake

app_name = "petitions"

urlpatterns = [
    path("", cases.PetitionListView.as_view(), name="petition_list"),
    path("<int:pk>/", cases.petition_detail, name="petition_detail"),
    path("<int:pk>/move/<slug:action>/", cases.petition_move, name="petition_move"),
    path("batches/", cases.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", cases.batch_detail, name="batch_detail"),
    *intake.batch_import.urls("batches/import/"),
    path("register/", intake.PetitionRegisterView.as_view(), name="petition_register"),
    # disclosure by the publisher (docs/petitions/disclosure.md); ?format=docx|xlsx downloads the table
    path("batches/<int:pk>/disclosure/", disclosure.batch_disclosure, name="batch_disclosure"),
    path("batches/<int:pk>/disclosure/publish/", disclosure.batch_disclose_view, name="batch_disclose"),
    path("<int:pk>/public-text/<slug:column>/", disclosure.PublicTextEditView.as_view(), name="public_text_edit"),
]
