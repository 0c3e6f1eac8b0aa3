"""Excel import of the ledger: the generic import pages (core.views.imports) with the ledger's importer.

The inspection office may have new problems assigned as they are imported; everything else — template,
upload, preview with every error, error workbook, commit — is the same for every importer.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from ecoinspect.core.permissions import user_scope
from ecoinspect.core.views.imports import ImportForm, ImportPages

from ..importers import LedgerImporter


class ProblemImportForm(ImportForm):
    assign = forms.BooleanField(
        label=_lazy("导入后直接交办（牵头单位、验收销号单位、整改时限齐全的新问题）"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not user_scope(self.user, "ledger.assign").everything:
            del self.fields["assign"]

    def options(self) -> dict:
        return {"assign": bool(self.cleaned_data.get("assign"))}


#: The inspection office, and unit staff for the problems their unit leads (the importer checks each row).
problem_import = ImportPages(
    LedgerImporter,
    form_class=ProblemImportForm,
    perms=("ledger.assign", "ledger.work"),
    refusal=_lazy(
        "只有区督察迎检办和单位经办人可以导入整改问题。"
    ),
    title=_lazy("导入整改问题"),
    parent=(_lazy("整改台账"), "ledger:problem_list"),
    steps=(
        _lazy(
            "下载模板，在“整改问题”工作表中每行填写一个问题（红色表头为必填列，下拉框可选择来源、类型和单位）。"
        ),
        _lazy(
            "上传文件：系统逐行校验，列出每一处错误（行号、列、值和原因）并预览将新增、修改和无变化的问题。"
        ),
        _lazy(
            "核对预览后确认导入：全部内容在一个事务中写入，要么全部成功，要么全部不生效。同一文件再次导入不会产生任何变化。"
        ),
    ),
    template_filename=_lazy("整改问题导入模板.xlsx"),
    preview_template="ledger/import_preview.html",
)
