"""Every way text gets into a domain app is bounded by the one mechanism (common.text_bounds), so a future
app is covered as soon as it is installed:

* every form a domain app declares is a BoundedForm, every request body a BodySchema;
* every text field of those forms and bodies refuses one character more than it may hold and a NUL, and
  what it may hold fits the model field it is stored in (read from the model, never written twice);
* every text column of every domain model is guarded below the forms: an instance holding too much is
  refused naming the field (the last net before the database), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from copy import deepcopy

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError

from ecoinspect.audit.models import ChangeLoggedModel
from ecoinspect.common.errors import ServiceError
from ecoinspect.common.filters import FilterSet
from ecoinspect.common.text_bounds import (
    LONG_TEXT_MAX,
    BoundedForm,
    body_text_problems,
    bound_form_field,
    model_bounds,
    stored_text_problems,
)
from ecoinspect.core.api import BodySchema

FOUNDATION = {"common", "audit", "orgs", "notifications", "core", "api", "config", "indicators"}
SKIPPED_MODULES = (".migrations", ".management", ".demo", ".templatetags")


def domain_apps():
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("ecoinspect.") and config.label not in FOUNDATION
    ]


def domain_modules():
    for config in domain_apps():
        package = importlib.import_module(config.name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if not any(part in info.name for part in SKIPPED_MODULES):
                yield importlib.import_module(info.name)


def declared(kind):
    """Classes of ``kind`` defined in the domain apps' modules (not imported into them)."""
    found = {}
    for module in domain_modules():
        for _name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, kind) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def domain_forms():
    return {
        name: cls
        for name, cls in declared(forms.BaseForm).items()
        if not issubclass(cls, FilterSet) and not issubclass(cls, forms.BaseFormSet)
    }


def domain_bodies():
    from ninja import Schema

    return {name: cls for name, cls in declared(Schema).items() if name.endswith(("In", "Patch"))}


def text_form_fields():
    for name, cls in sorted(domain_forms().items()):
        for field_name, field in cls.base_fields.items():
            if isinstance(field, forms.CharField):
                yield pytest.param(cls, field_name, field, id=f"{name}.{field_name}")


def _is_text(annotation) -> bool:
    if annotation is str:
        return True
    return any(_is_text(a) for a in typing.get_args(annotation))


def text_body_fields():
    for name, cls in sorted(domain_bodies().items()):
        for field_name, info in cls.model_fields.items():
            if _is_text(info.annotation):
                yield pytest.param(cls, field_name, id=f"{name}.{field_name}")


def test_there_are_domain_apps_with_forms_and_bodies():
    assert {"ledger", "petitions"} <= {c.label for c in domain_apps()}
    assert len(domain_forms()) > 30 and len(domain_bodies()) > 25


def test_every_form_of_a_domain_app_is_bounded_and_every_body_a_BodySchema():
    unbounded = [name for name, cls in domain_forms().items() if not issubclass(cls, BoundedForm)]
    assert unbounded == [], "forms must subclass common.text_bounds.BoundedForm"
    plain = [name for name, cls in domain_bodies().items() if not issubclass(cls, BodySchema)]
    assert plain == [], "request bodies must subclass core.api.BodySchema (read_body refuses others)"


@pytest.mark.parametrize(("cls", "name", "field"), list(text_form_fields()))
def test_each_text_field_of_each_form_is_held_to_its_bound(cls, name, field):
    bound = cls.bound_for(name, field)
    target = cls.bounds.field_of(name) if cls.bounds is not None else None
    if target is not None:
        model, field_name = target
        stored = model_bounds(model)[field_name]
        assert bound.max_length <= stored.max_length, (
            f"{name} may hold more than {model.__name__}.{field_name}"
        )
        assert bound.multiline == stored.multiline or not bound.multiline
        assert stored.multiline or not isinstance(field.widget, forms.Textarea), (
            f"{name}: a textarea for the one-line field {model.__name__}.{field_name}"
        )
    else:
        assert bound.max_length <= LONG_TEXT_MAX
        same_named = [b for m in _app_models(cls) for n, b in model_bounds(m).items() if n == name]
        assert not same_named or bound.max_length <= max(b.max_length for b in same_named), (
            f"{name} looks stored in a model field of its name: declare it in the form's bounds"
        )
    checked = deepcopy(field)
    checked.required = False
    bound_form_field(checked, bound)
    with pytest.raises(ValidationError) as too_long:
        checked.clean("字" * (bound.max_length + 1))
    assert f"最多 {bound.max_length} 个字，现有 {bound.max_length + 1} 个字" in too_long.value.messages[0]
    with pytest.raises(ValidationError):
        checked.clean("a\x00b")
    assert checked.clean("字" * min(bound.max_length, 5)) == "字" * min(bound.max_length, 5)


def _app_models(cls):
    label = cls.__module__.split(".")[1]
    return list(apps.get_app_config(label).get_models())


@pytest.mark.parametrize(("cls", "name"), list(text_body_fields()))
def test_each_text_field_of_each_body_is_held_to_its_bound(cls, name):
    bound = cls.bounds.of(name) if cls.bounds is not None else None
    length = bound.max_length if bound is not None else LONG_TEXT_MAX
    target = cls.bounds.field_of(name) if cls.bounds is not None else None
    if target is not None:
        model, field_name = target
        assert length <= model_bounds(model)[field_name].max_length
    annotation = cls.model_fields[name].annotation
    wrap = (lambda v: [v]) if "list" in str(annotation) else (lambda v: v)
    too_long = body_text_problems(cls.model_construct(**{name: wrap("字" * (length + 1))}))
    assert any(f"最多 {length} 个字" in m for ms in too_long.values() for m in ms), too_long
    control = body_text_problems(cls.model_construct(**{name: wrap("a\x00b")}))
    assert any("U+0000" in m for ms in control.values() for m in ms), control
    assert body_text_problems(cls.model_construct(**{name: wrap("字")})) == {}


def stored_text_columns():
    for config in domain_apps():
        for model in config.get_models():
            if issubclass(model, ChangeLoggedModel):
                for name, bound in model_bounds(model).items():
                    yield pytest.param(model, name, bound, id=f"{model._meta.label}.{name}")


@pytest.mark.parametrize(("model", "name", "bound"), list(stored_text_columns()))
def test_every_text_column_of_a_domain_model_is_guarded_before_the_database(model, name, bound):
    instance = model(**{name: "字" * (bound.max_length + 1)})
    problems = stored_text_problems(instance)
    assert problems == {
        name: [f"「{bound.label}」最多 {bound.max_length} 个字，现有 {bound.max_length + 1} 个字。"]
    }
    assert stored_text_problems(model(**{name: "字\x00"}), [name])
    assert stored_text_problems(model(**{name: "字"}), [name]) == {}


@pytest.mark.django_db
def test_the_last_net_answers_with_the_field_not_a_database_error(people):
    from tests.factories import ProblemFactory

    problem = ProblemFactory(minimal=True)
    problem.contact_phone = "8" * 31
    problem.description = "描述\x00"
    with pytest.raises(ServiceError) as refused:
        problem.save()
    assert set(refused.value.message_dict) == {"contact_phone", "description"}
    with pytest.raises(ServiceError):
        problem.save(update_fields=["contact_phone"])
    problem.refresh_from_db()
    assert problem.contact_phone == "" and "\x00" not in problem.description


def test_json_columns_are_guarded_against_control_characters_too():
    from ecoinspect.petitions.models import Petition

    problems = stored_text_problems(Petition(raw={"行政区域": "白云\x00区"}), ["raw"])
    assert list(problems) == ["raw"] and "U+0000" in problems["raw"][0]


def test_models_with_text_are_change_logged():
    """The net sits in ChangeLoggedModel.save: a domain model holding text must be one. Maintained counts
    (core.tallies) are derived rows no one types into, kept by the services and checked by a recount."""
    from ecoinspect.core.tallies import TallyRow

    missing = [
        model._meta.label
        for config in domain_apps()
        for model in config.get_models()
        if model_bounds(model)
        and not issubclass(model, (ChangeLoggedModel, TallyRow))
        and not model._meta.auto_created
    ]
    assert missing == []


def test_a_model_field_is_bounded_by_what_it_is():
    from ecoinspect.ledger.models import Problem

    bounds = model_bounds(Problem)
    assert (bounds["title"].max_length, bounds["title"].multiline) == (200, False)
    assert (bounds["description"].max_length, bounds["description"].multiline) == (LONG_TEXT_MAX, True)
    assert "deadline" not in bounds and "lead_unit" not in bounds
