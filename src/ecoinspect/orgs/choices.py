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


class PlaceKind(ChoiceSet):
    """What a gazetteer entry is; the matcher trusts a specific place more than a town's bare name."""

    TOWN = Choice("town", _("镇街"), "success")
    FORMER_TOWN = Choice("former_town", _("原镇名"), "secondary")
    VILLAGE = Choice("village", _("行政村"), "light")
    COMMUNITY = Choice("community", _("社区"), "light")
    PARK = Choice("park", _("村级工业园"), "warning")
    ROAD = Choice("road", _("道路"), "light")
    RIVER = Choice("river", _("河流河涌"), "info")
    LANDMARK = Choice("landmark", _("地标"), "light")
    DISTRICT = Choice("district", _("区"), "dark")
    NEIGHBOUR_PLACE = Choice("neighbour_place", _("邻区地名"), "dark")
