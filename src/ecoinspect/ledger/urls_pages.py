"""Pages of the ledger: lists, problem pages, forms, notices, the district dashboard."""

from django.urls import path

from ecoinspect.core.uploads import upload_limited

from .views import dashboard, evidence, lists, notices, problem, review, selection, work

urlpatterns = [
    # lists
    path("", lists.ProblemListView.as_view(), name="problem_list"),
    path("units/", lists.my_list, name="my_list"),
    path("units/<int:unit_id>/", lists.UnitProblemListView.as_view(), name="unit_problems"),
    path("dashboard/", dashboard.district_dashboard, name="district_dashboard"),
    path("selection/", selection.problem_selection, name="problem_selection"),
    # registering and the problem page
    path("new/", problem.ProblemCreateView.as_view(), name="problem_create"),
    path("new/proposal/", problem.routing_proposal, name="routing_proposal"),
    path("<int:pk>/", problem.problem_detail, name="problem_detail"),
    path("<int:pk>/edit/", problem.ProblemEditView.as_view(), name="problem_edit"),
    path("<int:pk>/reroute/", problem.ProblemRerouteView.as_view(), name="problem_reroute"),
    path("<int:pk>/deadline/", problem.ProblemExtendView.as_view(), name="problem_extend"),
    path("<int:pk>/pause/", problem.ProblemPauseView.as_view(), name="problem_pause"),
    path("<int:pk>/district/", problem.ProblemDistrictView.as_view(), name="problem_district"),
    path("<int:pk>/resume/", problem.problem_resume, name="problem_resume"),
    path("<int:pk>/move/<slug:action>/", problem.problem_move, name="problem_move"),
    # the units' work
    path("<int:pk>/measures/new/", work.MeasureAddView.as_view(), name="measure_add"),
    path("measures/<int:pk>/complete/", work.measure_complete, name="measure_complete"),
    path("<int:pk>/reports/new/", upload_limited(work.ReportAddView.as_view()), name="report_add"),
    path("<int:pk>/evidence/new/", upload_limited(work.EvidenceAddView.as_view()), name="evidence_add"),
    path("evidence/<int:pk>/", evidence.evidence_file, name="evidence_file"),
    path("<int:pk>/plans/new/", work.PlanSubmitView.as_view(), name="plan_submit"),
    path("plans/<int:pk>/decide/", work.plan_decide, name="plan_decide"),
    path("<int:pk>/joint-actions/new/", work.JointActionAddView.as_view(), name="joint_action_add"),
    # acceptance, publicity, closing, reopening
    path("<int:pk>/accept/", review.AcceptView.as_view(), name="problem_accept"),
    path("<int:pk>/reject/", review.RejectView.as_view(), name="problem_reject"),
    path("<int:pk>/publicity/", review.PublicityStartView.as_view(), name="publicity_start"),
    path("<int:pk>/objection/", review.ObjectionView.as_view(), name="publicity_objection"),
    path("<int:pk>/reopen/", review.ReopenView.as_view(), name="problem_reopen"),
    # supervision notices
    path("notices/", notices.NoticeListView.as_view(), name="notice_list"),
    path("notices/new/", notices.NoticeCreateView.as_view(), name="notice_create"),
    path("notices/new/problems/", notices.notice_problems, name="notice_problems"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/docx/", notices.notice_docx, name="notice_docx"),
    path("notices/<int:pk>/reply/", notices.NoticeReplyView.as_view(), name="notice_reply"),
    path("notices/<int:pk>/return/", notices.NoticeReturnView.as_view(), name="notice_return"),
    path("notices/<int:pk>/<slug:action>/", notices.notice_move, name="notice_move"),  # 办结 (close)
]
