"""Timeline words for the petitions app's actions that are not workflow moves (those label themselves),
and the names of their payload keys."""

from django.utils.translation import gettext_lazy as _

from ecoinspect.audit.display import register_keys
from ecoinspect.audit.labels import register

register(
    {
        "petitions.round.created": _("新增督察轮次"),
        "petitions.batch.created": _("新增交办批次"),
        "petitions.petition.registered": _("登记信访件"),
        "petitions.petition.units_added": _("增派承办单位"),
        "petitions.petition.handling_saved": _("保存办理情况"),
        "petitions.petition.marked": _("标记重点件/督办"),
        "petitions.petition.problem_opened": _("建立整改问题"),
        "petitions.petition.visited": _("回访"),
        "petitions.suggestion.accepted": _("采纳导入建议"),
        "petitions.suggestion.corrected": _("更正导入建议"),
        "petitions.suggestion.dismissed": _("不采纳导入建议"),
    }
)

register_keys(
    {
        "kind": _("建议类型"),
        "suggestion": _("建议编号"),
        "before": _("原处理"),
        "corrected_value": _("更正为"),
        "units": _("承办单位"),
        "internal_due": _("区内反馈时限"),
        "external_due": _("督察组反馈时限"),
        "duplicate_of": _("重复件原件"),
        "original": _("原件受理编号"),
        "is_key": _("重点件"),
        "is_supervised": _("督办"),
        "satisfied": _("是否满意"),
        "visited_on": _("回访日期"),
        "acceptance_no": _("受理编号"),
        "batch": _("批次"),
        "problem": _("整改问题"),
        "number": _("编号"),
        "verdict": _("是否属实"),
        "investigation": _("调查核实情况"),
        "closure_target": _("办结目标"),
        "handling": _("处理和整改情况"),
        "closure_status": _("是否办结"),
        "accountability": _("责任人被处理情况"),
        "rectify_orders": _("责令整改（家）"),
        "penalty_cases": _("立案处罚（家）"),
        "fine_amount": _("罚款（万元）"),
        "criminal_cases": _("立案侦查（件）"),
        "admin_detentions": _("行政拘留（人）"),
        "criminal_detentions": _("刑事拘留（人）"),
        "interviews": _("约谈（人）"),
        "accountable_people": _("问责（人）"),
    }
)
