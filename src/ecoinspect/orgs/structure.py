"""Baiyun District's organisation and a default 三管三必须 matrix.

Real names: the district, its 20 subdistricts and 4 towns, and the departments with environmental duties.
Loaded (idempotently, by code) with ``ecoinspect orgs load-structure``; edit the matrix afterwards in the app.
"""

from __future__ import annotations

from .choices import UnitKind

DISTRICT = ("baiyun", "广州市白云区", "白云区")
OFFICE = ("yingjianban", "白云区生态环境保护督察迎检工作领导小组办公室", "区督察迎检办")

# (code, full name, short name)
DEPARTMENTS = [
    ("sthj", "广州市生态环境局白云分局", "生态环境分局"),
    ("swj", "白云区水务局", "区水务局"),
    ("zjj", "白云区住房和城乡建设局", "区住建局"),
    ("cgzf", "白云区城市管理和综合执法局", "区城管执法局"),
    ("nync", "白云区农业农村局", "区农业农村局"),
    ("gxj", "白云区工业和信息化局", "区工信局"),
    ("jtys", "白云区交通运输局", "区交通运输局"),
    ("scjg", "白云区市场监督管理局", "区市场监管局"),
    ("ghzy", "广州市规划和自然资源局白云区分局", "规划和自然资源分局"),
    ("wsjk", "白云区卫生健康局", "区卫生健康局"),
    ("lyyl", "白云区林业和园林局", "区林业园林局"),
    ("gaj", "广州市公安局白云区分局", "公安白云分局"),
]

SUBDISTRICTS = [
    ("sanyuanli", "三元里"),
    ("songzhou", "松洲"),
    ("jingtai", "景泰"),
    ("tongde", "同德"),
    ("huangshi", "黄石"),
    ("tangjing", "棠景"),
    ("xinshi", "新市"),
    ("tonghe", "同和"),
    ("jingxi", "京溪"),
    ("yongping", "永平"),
    ("jiahe", "嘉禾"),
    ("junhe", "均禾"),
    ("shijing", "石井"),
    ("jinsha", "金沙"),
    ("yuncheng", "云城"),
    ("helong", "鹤龙"),
    ("baiyunhu", "白云湖"),
    ("shimen", "石门"),
    ("longgui", "龙归"),
    ("dayuan", "大源"),
]

TOWNS = [("jianggao", "江高"), ("renhe", "人和"), ("taihe", "太和"), ("zhongluotan", "钟落潭")]


def units() -> list[dict]:
    """Every unit as field dictionaries, parents before children."""
    rows = [
        {
            "code": DISTRICT[0],
            "name": DISTRICT[1],
            "short_name": DISTRICT[2],
            "kind": UnitKind.DISTRICT,
            "parent": None,
            "sort_order": 1,
        },
        {
            "code": OFFICE[0],
            "name": OFFICE[1],
            "short_name": OFFICE[2],
            "kind": UnitKind.OFFICE,
            "parent": DISTRICT[0],
            "sort_order": 2,
        },
    ]
    rows += [
        {
            "code": code,
            "name": name,
            "short_name": short,
            "kind": UnitKind.DEPARTMENT,
            "parent": DISTRICT[0],
            "sort_order": 10 + i,
        }
        for i, (code, name, short) in enumerate(DEPARTMENTS)
    ]
    rows += [
        {
            "code": code,
            "name": f"白云区{name}街道",
            "short_name": f"{name}街道",
            "kind": UnitKind.SUBDISTRICT,
            "parent": DISTRICT[0],
            "sort_order": 100 + i,
        }
        for i, (code, name) in enumerate(SUBDISTRICTS)
    ]
    rows += [
        {
            "code": code,
            "name": f"白云区{name}镇",
            "short_name": f"{name}镇",
            "kind": UnitKind.TOWN,
            "parent": DISTRICT[0],
            "sort_order": 200 + i,
        }
        for i, (code, name) in enumerate(TOWNS)
    ]
    return rows


# (sector, problem type, keywords, department code, basis)
SECTOR_DUTIES = [
    (
        "工业企业废气、废水、固废污染",
        "air",
        "工厂 企业 废气 异味 臭味 VOCs 喷漆 喷涂 锅炉 排放 偷排 超标 危险废物 危废 工业固废 工业废水 电镀 冒黑烟 黑烟 烟囱",
        "sthj",
        "生态环境统一监督管理；排污许可",
    ),
    ("工业噪声", "noise", "工厂噪声 机器声 设备噪声 厂区噪声 工厂噪音 机器噪音 设备噪音", "sthj", "工业噪声污染防治"),
    (
        "散乱污工业企业与村级工业园整治",
        "air",
        "散乱污 村级工业园 小作坊 无证无照 工业园",
        "gxj",
        "管行业必须管环保：工业行业管理",
    ),
    (
        "城镇污水、河涌与排水",
        "water",
        "污水 河涌 排水 管网 黑臭 直排 雨污 排水口 水体 发黑 发臭 化粪池 臭水 黑水 臭水沟",
        "swj",
        "河长制；城镇排水与污水处理",
    ),
    (
        "河道采砂与河道管理",
        "ecology",
        "河道采砂 采砂 采砂船 抽砂 抽沙 挖沙 偷采河砂 河砂 河沙 沙场",
        "swj",
        "河道管理：河道采砂许可与监管（水务部门）",
    ),
    (
        "建筑工地扬尘与施工噪声",
        "air",
        "工地 施工 扬尘 建筑 打桩 夜间施工 混凝土 搅拌站 施工噪音",
        "zjj",
        "建设工程施工现场管理",
    ),
    (
        "生活垃圾、餐饮油烟与露天焚烧",
        "solid_waste",
        "垃圾 油烟 餐饮 烧烤 焚烧 建筑垃圾 余泥 渣土 泥头渣 偷倒 乱倒 垃圾站 转运站 中转站 收集站",
        "cgzf",
        "市容环境卫生；城市管理综合执法",
    ),
    (
        "畜禽养殖与农业面源污染",
        "agriculture",
        "养殖 养猪 猪场 畜禽 鸡场 鱼塘 农药 化肥 秸秆 农田",
        "nync",
        "管发展必须管环保：农业农村",
    ),
    (
        "道路运输与码头扬尘、交通噪声",
        "air",
        "泥头车 运输车 货车 码头 港口 道路运输 交通噪声 货运站",
        "jtys",
        "交通运输行业管理",
    ),
    ("加油站油气回收与油品质量", "air", "加油站 油品 油气 柴油 汽油 非标油", "scjg", "产品质量与市场监管"),
    (
        "非法采砂采石与土地生态破坏",
        "ecology",
        "采石 矿山 取土 挖山 占用耕地 违法用地 生态修复 山体采砂",
        "ghzy",
        "自然资源与国土空间用途管制",
    ),
    (
        "医疗废物与医疗机构污水",
        "solid_waste",
        "医疗废物 医院 诊所 医疗污水 卫生院",
        "wsjk",
        "医疗卫生机构管理",
    ),
    (
        "林地、绿地与自然保护地",
        "ecology",
        "林地 山林 毁林 砍伐 绿地 公园 古树 自然保护地 湿地",
        "lyyl",
        "林业和园林管理",
    ),
    (
        "环境违法犯罪与社会生活噪声",
        "other",
        "非法倾倒 跨区倾倒 犯罪 广场舞 社会生活噪声 娱乐场所 高音喇叭 噪音",
        "gaj",
        "环境犯罪侦查；社会生活噪声",
    ),
]


# --- loading ---------------------------------------------------------------------------------------------

#: The account commands act as when no person runs them (``ecoinspect petitions import``): a coordinator of
#: the office, with no password (nobody can log in as it), created on first use and logged.
SYSTEM_USERNAME = "system"
SYSTEM_FULL_NAME = "系统（命令行）"


def load_structure() -> tuple[int, int]:
    """Create or update the district's units and, on the first load, the default duties (idempotent, by
    code). Returns (units, duties) created."""
    from django.db import transaction

    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append

    from .models import SectorDuty, Unit

    created_units = created_duties = 0
    by_code: dict = {}
    with transaction.atomic(), acting_as(None):
        for row in units():
            parent_code = row.pop("parent")
            row["parent"] = by_code[parent_code] if parent_code else None
            unit, created = Unit.objects.update_or_create(code=row["code"], defaults=row)
            by_code[unit.code] = unit
            created_units += created
        # The default matrix is seeded once; from then on it is the office's to edit in the app, and rows it
        # re-assigned, renamed or deleted stay that way when the structure is loaded again.
        seed_duties = not SectorDuty.objects.exists()
        for position, (sector, ptype, keywords, dept_code, basis) in enumerate(SECTOR_DUTIES, start=1):
            if not seed_duties:
                break
            SectorDuty.objects.create(
                sector=sector,
                department=by_code[dept_code],
                problem_type=ptype,
                keywords=keywords.replace(" ", ","),
                basis=basis,
                sort_order=10 * position,
            )
            created_duties += 1
        if created_units or created_duties:
            action_log_append(
                action="orgs.structure.loaded",
                payload={"units_created": created_units, "duties_created": created_duties},
            )
    return created_units, created_duties


def ensure_structure() -> bool:
    """Load the structure and the default 三管三必须 matrix when the district is not there yet (a command
    run right after ``ecoinspect migrate``); True when it loaded them. An installation that has its units
    is left as it is."""
    from .models import SectorDuty, Unit

    if Unit.objects.filter(code=DISTRICT[0]).exists() and SectorDuty.objects.exists():
        return False
    load_structure()
    return True


def system_user():
    """The account a command acts as (:data:`SYSTEM_USERNAME`): a coordinator of the office, created with
    its membership on first use (an ActionLog entry says so), without a usable password."""
    from django.db import transaction

    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append

    from .models import Membership, Unit, User
    from .roles import Role

    ensure_structure()
    with transaction.atomic(), acting_as(None):
        user, created = User.objects.get_or_create(
            username=SYSTEM_USERNAME, defaults={"full_name": SYSTEM_FULL_NAME}
        )
        if created:
            user.set_unusable_password()
            user.save()
        office = Unit.objects.get(code=OFFICE[0])
        membership, joined = Membership.objects.get_or_create(user=user, unit=office, role=Role.COORDINATOR)
        if not membership.is_active:
            membership.is_active = joined = True
            membership.save()
        if created or joined:
            action_log_append(
                action="orgs.system_user.created",
                obj=membership,
                payload={"user": user.pk, "unit": office.pk, "role": Role.COORDINATOR, "created": created},
            )
    return User.objects.get(pk=user.pk)
