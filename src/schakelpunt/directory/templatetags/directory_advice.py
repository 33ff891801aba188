"""``{% question_advice question %}``: the advised services on a question's page.

An inclusion tag, so the question page (contacts) needs no change in its view: the tag reads
the advice itself, in one query, and only for users who may see the social map.
"""

from django import template

from schakelpunt.directory.models import ServiceAdvice

register = template.Library()


@register.inclusion_tag("directory/question_advice_section.html", takes_context=True)
def question_advice(context, question):
    user = context["request"].user
    visible = user.has_perm("directory.view_service")
    advice = (
        list(
            ServiceAdvice.objects.filter(question=question)
            .select_related("service__organization", "advised_by")
            .order_by("advised_at")
        )
        if visible
        else []
    )
    return {
        "request": context["request"],
        "question": question,
        "advice": advice,
        "show": visible,
        "may_advise": visible
        and user.has_perm("directory.add_serviceadvice")
        and user.has_perm("contacts.view_question"),
        "querystring": "",
    }
