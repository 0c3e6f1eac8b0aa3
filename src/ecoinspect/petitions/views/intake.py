"""Taking a batch (导入批次: upload with round, batch number and date → preview per row with the parsed
values, flags, suggestions and repeats → commit; error workbook) and typing one case in (登记信访件)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.common.choices import ProblemType
from ecoinspect.common.text_bounds import Bounds
from ecoinspect.common.views import ServiceFormView
from ecoinspect.common.widgets import EnteredDateField, date_input
from ecoinspect.core.forms import OnceForm
from ecoinspect.core.views.imports import ImportForm, ImportPages

from ..choices import Channel
from ..importers import PetitionImporter
from ..models import InspectionRound, Petition
from ..services import petition_intake
from ..services.intake import standard_round_name

NEW_ROUNDS = (1, 2, 3, 4)


def round_choices() -> list[tuple[str, str]]:
    """The rounds one may import into: the existing ones (current first), then the central rounds not yet
    made, made from their number when the first batch is imported."""
    rounds = list(InspectionRound.objects.order_by("-is_current", "-stationed_on", "-pk"))
    have = {r.name for r in rounds}
    choices = [(r.name, r.name) for r in rounds]
    for number in NEW_ROUNDS:
        name = standard_round_name(number)
        if name not in have:
            choices.append((str(number), _("%(name)s（导入时新建）") % {"name": name}))
    return choices


class BatchImportForm(ImportForm):
    file = forms.FileField(
        label=_lazy("交办表格（.xlsx、.xls、WPS .et 或 CSV）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.et,.csv"}),
    )
    round = forms.ChoiceField(label=_lazy("督察轮次"))
    batch = forms.IntegerField(label=_lazy("批次（第N批）"), min_value=1, max_value=1000)
    received_on = EnteredDateField(
        label=_lazy("交办日期"), widget=date_input(), initial=timezone.localdate
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = round_choices()
        self.fields["round"].choices = choices
        current = InspectionRound.objects.filter(is_current=True).values_list("name", flat=True).first()
        values = [value for value, _label in choices]
        self.fields["round"].initial = current or ("3" if "3" in values else values[0])  # the current round

    def options(self) -> dict:
        data = self.cleaned_data
        return {"round": data["round"], "batch": data["batch"], "received_on": data["received_on"].isoformat()}


batch_import = ImportPages(
    PetitionImporter,
    perms=("petitions.assign",),
    refusal=_lazy("只有区督察迎检办可以导入交办批次。"),
    form_class=BatchImportForm,
    title=_lazy("导入交办批次"),
    parent=(_lazy("交办批次"), "petitions:batch_list"),
    upload_template="petitions/import_upload.html",
    preview_template="petitions/import_preview.html",
    template_filename="交办信访件导入模板.xlsx",
    steps=(
        _lazy("选择督察轮次、填写批次和交办日期，上传督察组交办的表格（原样即可，标题行会自动跳过）。"),
        _lazy("预览逐行显示解读结果、待人工确认的单元格、属地和牵头部门建议及疑似重复件；已导入过的件显示有无变化。"),
        _lazy("核对无误后确认导入；导入在一个事务中完成，要么全部成功，要么全部不生效。"),
    ),
)


class PetitionRegisterForm(OnceForm):
    bounds = Bounds(Petition)

    round = forms.ModelChoiceField(label=_lazy("督察轮次"), queryset=InspectionRound.objects.none())
    acceptance_no = forms.CharField(label=_lazy("受理编号"), help_text=_lazy("按督察组原表填写，如 D3GD202311200002"))
    complaint_text = forms.CharField(label=_lazy("交办问题基本情况"), widget=forms.Textarea(attrs={"rows": 5}))
    region_text = forms.CharField(label=_lazy("行政区域"), required=False, help_text=_lazy("按原表照录，写到镇街、村居或河涌水库更好"))
    problem_types = forms.MultipleChoiceField(
        label=_lazy("问题类型"), choices=(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("不选时按问题内容建议"),
    )
    channel = forms.ChoiceField(label=_lazy("受理方式"), choices=(), required=False)
    received_on = EnteredDateField(label=_lazy("交办日期"), widget=date_input(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = InspectionRound.objects.order_by("-is_current", "-stationed_on")
        current = InspectionRound.objects.filter(is_current=True).first()
        if current is not None:
            self.fields["round"].initial = current.pk
        self.fields["problem_types"].choices = ProblemType.choices()
        self.fields["channel"].choices = [("", "—"), *Channel.choices()]


class PetitionRegisterView(ServiceFormView):
    """登记信访件: one case typed in, with the suggestions an import would make."""

    form_class = PetitionRegisterForm
    title = _lazy("登记信访件")
    perm = "petitions.assign"
    submit_label = _lazy("登记")

    @property
    def cancel_url(self):
        from django.urls import reverse

        return reverse("petitions:batch_list")

    def perform(self, form):
        data = form.cleaned_data
        return petition_intake(
            actor=self.request.user,
            round=data["round"],
            acceptance_no=data["acceptance_no"],
            complaint_text=data["complaint_text"],
            region_text=data["region_text"],
            problem_types=data["problem_types"],
            channel=data["channel"],
            received_on=data["received_on"],
            submission_key=data["submission_key"],
        )

    def success_message(self, result) -> str:
        return _("已登记信访件 %(n)s。") % {"n": result}
