from django.urls import path

from .views import batch, cases, disclosure, figures, hotspots, intake, suggestions, work

app_name = "petitions"

urlpatterns = [
    path("", cases.PetitionListView.as_view(), name="petition_list"),
    path("selection/", batch.petition_selection, name="petition_selection"),
    path("<int:pk>/", cases.petition_detail, name="petition_detail"),
    path("<int:pk>/move/<slug:action>/", cases.petition_move, name="petition_move"),
    path("<int:pk>/assign/", work.AssignView.as_view(), name="petition_assign"),
    path("<int:pk>/handling/", work.HandlingView.as_view(), name="petition_handling"),
    path("<int:pk>/send-back/", work.SendBackView.as_view(), name="petition_send_back"),
    path("<int:pk>/resume/", work.ResumeView.as_view(), name="petition_resume"),
    path("<int:pk>/merge/", work.MergeView.as_view(), name="petition_merge"),
    path("<int:pk>/visits/new/", work.VisitView.as_view(), name="petition_visit"),
    path("<int:pk>/problem/", work.open_problem, name="petition_open_problem"),
    path("<int:pk>/mark/", batch.petition_mark, name="petition_mark"),
    path("suggestions/<int:pk>/correct/", suggestions.suggestion_correct, name="suggestion_correct"),
    path("suggestions/<int:pk>/<slug:decision>/", suggestions.suggestion_decide, name="suggestion_decide"),
    path("batches/", cases.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", batch.batch_page, name="batch_detail"),
    *intake.batch_import.urls("batches/import/"),
    path("register/", intake.PetitionRegisterView.as_view(), name="petition_register"),
    # disclosure by the publisher (docs/petitions/disclosure.md); ?format=docx|xlsx downloads the table
    path("batches/<int:pk>/disclosure/", disclosure.batch_disclosure, name="batch_disclosure"),
    path("batches/<int:pk>/disclosure/publish/", disclosure.batch_disclose_view, name="batch_disclose"),
    path("<int:pk>/public-text/<slug:column>/", disclosure.PublicTextEditView.as_view(), name="public_text_edit"),
    path("figures/", figures.figures_page, name="figures"),
    path("figures/report.docx", figures.figures_report_docx, name="figures_report"),
    path("hotspots/", hotspots.hotspot_list, name="hotspots"),
]
