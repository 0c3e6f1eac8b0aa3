from django.utils.translation import gettext_lazy as _

from ecoinspect.common.choices import Choice, ChoiceSet


class UnitKind(ChoiceSet):
    DISTRICT = Choice("district", _("区"), "dark")
    OFFICE = Choice("office", _("专责机构"), "primary")
    DEPARTMENT = Choice("department", _("区直部门"), "info")
    TOWN = Choice("town", _("镇"), "success")
    SUBDISTRICT = Choice("subdistrict", _("街道"), "success")
    VILLAGE = Choice("village", _("村（社区）"), "light")


#: 镇街 — the kinds that make up "one list per town/subdistrict".
TOWN_KINDS = (UnitKind.TOWN, UnitKind.SUBDISTRICT)
