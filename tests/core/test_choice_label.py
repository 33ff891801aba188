"""The ``choice_label`` filter shows what ``get_FOO_display`` shows, in the active language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from schakelpunt.contacts.models import Contact, FollowUp, Question

FIELDS = [
    (Question, ["status", "urgency", "outcome", "unmet_reason"]),
    (Contact, ["channel", "asked_by"]),
    (FollowUp, ["kind", "status"]),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("model", "names"), FIELDS)
def test_choice_label_is_the_display_value(model, names, language):
    with translation.override(language):
        for name in names:
            values = [value for value, _label in model._meta.get_field(name).flatchoices]
            for value in [*values, "", "onbekend", None]:
                obj = model(**{name: value})
                shown = Template("{% load choices %}{{ obj|choice_label:name }}").render(
                    Context({"obj": obj, "name": name})
                )
                expected = Template("{{ display }}").render(
                    Context({"display": getattr(obj, f"get_{name}_display")()})
                )
                assert shown == expected, (model.__name__, name, value)
