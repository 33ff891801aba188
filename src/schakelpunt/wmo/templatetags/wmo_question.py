"""``{% question_wmo question %}``: the Wmo reports made from a question, on the question's page.

An inclusion tag, so the question page (contacts) needs no change in its view: the tag reads the
reports itself, in one query, only for users who may see at least their status, and offers the
button "Wmo-melding maken" to those who may make one.
"""

from django import template

from schakelpunt.contacts.models import Question
from schakelpunt.wmo.models import WmoReport

register = template.Library()


@register.inclusion_tag("wmo/includes/question_section.html", takes_context=True)
def question_wmo(context, question):
    user = context["request"].user
    sees = user.has_perm("wmo.view_wmoreport") or user.has_perm("wmo.view_wmoreport_status")
    reports = (
        list(
            WmoReport.objects.status_visible_to(user)
            .filter(question=question)
            .only("pk", "reported_on", "status", "suspended_since", "question_id")
            .order_by("-reported_on", "-pk")
        )
        if sees
        else []
    )
    may_add = (
        user.has_perm("wmo.add_wmoreport")
        and question.resident_id is not None
        and question.outcome in ("", Question.Outcome.WMO_REPORT)
    )
    return {
        "question": question,
        "reports": reports,
        "show": sees or may_add,
        "may_add": may_add,
    }
