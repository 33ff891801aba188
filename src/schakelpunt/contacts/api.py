"""API of contact moments and questions: list with filters, one, and register a contact.

Thin: rows come through ``visible_to(request.user)`` or the selectors, the write is
``contacts.services.intake_register``, and the serializers leave out health notes for users
who may not see them. Lists write one 'search' row to the access log per request; opening a
contact or question of a resident writes a 'read' row on that resident's behalf.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from schakelpunt.api.errors import drf_error
from schakelpunt.api.permissions import FollowsAccessRule
from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.contacts.selectors import question_get
from schakelpunt.contacts.serializers import (
    ContactCreateSerializer,
    ContactFilterSerializer,
    ContactSerializer,
    QuestionFilterSerializer,
    QuestionSerializer,
)
from schakelpunt.contacts.services import intake_register
from schakelpunt.core.access import get_visible_or_404, permission_rule

PURPOSE = "intake"
CONTACT_TAG = "contactmomenten"
QUESTION_TAG = "hulpvragen"
REFUSED = OpenApiResponse(description="Niet ingelogd of geen recht. / Not logged in, or no permission.")
NOT_FOUND = OpenApiResponse(
    description=(
        "Bestaat niet, of u heeft er geen toegang toe: het antwoord is hetzelfde. / Does not "
        "exist, or is not yours: the answer is the same."
    )
)
BAD_FILTER = OpenApiResponse(description="Ongeldig filter. / Invalid filter.")


def _domains() -> Prefetch:
    return Prefetch("domains", queryset=LifeDomain.objects.order_by("position"))


def _questions_of_contacts(viewer) -> Prefetch:
    return Prefetch(
        "questions",
        queryset=Question.objects.visible_to(viewer)
        .select_related("assigned_to")
        .prefetch_related(_domains())
        .order_by("created_at", "pk"),
    )


def _contacts(viewer) -> QuerySet[Contact]:
    return (
        Contact.objects.visible_to(viewer)
        .select_related("handled_by")
        .prefetch_related(_questions_of_contacts(viewer))
    )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class _LoggedListMixin:
    """List views: validate the filters, then write one 'search' row per page served."""

    filter_serializer_class: type[serializers.Serializer]
    object_type: str

    def filters(self) -> dict[str, Any]:
        if not hasattr(self, "_filters"):
            form = self.filter_serializer_class(data=self.request.query_params)
            form.is_valid(raise_exception=True)
            self._filters = form.validated_data
        return self._filters

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        access_log_record(
            acting_user=request.user,
            action=Action.SEARCH,
            object_type=self.object_type,
            request=request,
            purpose=PURPOSE,
            on_behalf_of=on_behalf_of_resident(self.filters().get("resident")),
        )
        return response


@extend_schema_view(
    get=extend_schema(
        tags=[CONTACT_TAG],
        summary="Contactmomenten / Contact moments",
        description=(
            "De contactmomenten van uw loketten, nieuwste eerst, met hun hulpvragen. Filters: "
            "kanaal, periode (begindatum tot en met einddatum) en inwoner. Elke opvraging komt "
            "als één regel 'zoeken' in het toegangslog.\n\n---\n\n"
            "The contact moments of your desks, newest first, with their questions. Filters: "
            "channel, date range (inclusive) and resident. Each request writes one 'search' row "
            "to the access log."
        ),
        parameters=[ContactFilterSerializer],
        responses={200: ContactSerializer(many=True), 400: BAD_FILTER, 403: REFUSED},
    ),
    post=extend_schema(
        tags=[CONTACT_TAG],
        summary="Contactmoment registreren / Register a contact moment",
        description=(
            "Registreert één contactmoment met zijn hulpvragen in één keer, voor uw eigen "
            "loket. Foute invoer geeft 400 met per veld een melding, en verandert niets. Een "
            "afgesloten vraag heeft een uitkomst; bij 'no_supply' ook een reden. Fouten die de "
            "registratie zelf vindt (zoals 'outcome') staan onder de naam van het veld, zonder "
            "te zeggen welke vraag. Met sessie-authenticatie is de CSRF-header "
            "(X-CSRFToken) nodig.\n\n---\n\n"
            "Registers one contact moment with its questions at once, for your own desk. Bad "
            "input gives 400 with a message per field, and changes nothing. A closed question "
            "needs an outcome; 'no_supply' also needs a reason. Errors found by the registration "
            "service itself (such as 'outcome') are keyed by field name, without the question's "
            "index. With session authentication the CSRF header (X-CSRFToken) is required."
        ),
        request=ContactCreateSerializer,
        responses={
            201: ContactSerializer,
            400: OpenApiResponse(description="Foute invoer; er is niets opgeslagen. / Bad input."),
            403: REFUSED,
        },
    ),
)
class ContactListView(_LoggedListMixin, generics.ListAPIView):
    access_rule = permission_rule("contacts.view_contact")
    permission_classes = [FollowsAccessRule]
    parser_classes = [JSONParser]  # nested questions: JSON only
    # Registering needs more than reading; checked in post().
    create_rule = permission_rule("contacts.add_contact", "contacts.add_question")
    serializer_class = ContactSerializer
    filter_serializer_class = ContactFilterSerializer
    object_type = "contacts.contact"

    def get_queryset(self) -> QuerySet[Contact]:
        contacts = _contacts(self.request.user)
        if getattr(self, "swagger_fake_view", False):
            return contacts
        filters = self.filters()
        if "channel" in filters:
            contacts = contacts.filter(channel=filters["channel"])
        if "started_from" in filters:
            contacts = contacts.filter(started_at__gte=_local_midnight(filters["started_from"]))
        if "started_until" in filters:
            next_day = filters["started_until"] + datetime.timedelta(days=1)
            contacts = contacts.filter(started_at__lt=_local_midnight(next_day))
        if "resident" in filters:
            contacts = contacts.filter(resident_id=filters["resident"])
        return contacts.order_by("-started_at", "-pk")

    def post(self, request: Request) -> Response:
        if not self.create_rule.allows(request.user):
            self.permission_denied(request)
        form = ContactCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        desk = data.pop("desk")
        resident = data.pop("resident", None)
        questions = [dict(question) for question in data.pop("questions")]
        try:
            contact = intake_register(
                acting_user=request.user,
                desk=desk,
                contact=data,
                questions=questions,
                resident=resident,
                request=request,
            )
        except DjangoValidationError as error:
            raise drf_error(error) from None
        contact = _contacts(request.user).get(pk=contact.pk)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(generics.RetrieveAPIView):
    access_rule = permission_rule("contacts.view_contact")
    permission_classes = [FollowsAccessRule]
    serializer_class = ContactSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        return _contacts(self.request.user)

    def get_object(self) -> Contact:
        return get_visible_or_404(
            Contact.objects.select_related("handled_by").prefetch_related(
                _questions_of_contacts(self.request.user)
            ),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    @extend_schema(
        tags=[CONTACT_TAG],
        summary="Eén contactmoment / One contact moment",
        description=(
            "Een contactmoment van uw loketten met zijn hulpvragen. Hoort het bij een inwoner, "
            "dan komt de opvraging als inzage namens die inwoner in het toegangslog.\n\n---\n\n"
            "A contact moment of your desks with its questions. When it belongs to a resident, "
            "the request is logged as a read on that resident's behalf."
        ),
        responses={200: ContactSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        contact = self.get_object()
        data = self.get_serializer(contact).data
        if contact.resident_id:
            access_log_record(
                acting_user=request.user,
                action=Action.READ,
                object_type="contacts.contact",
                object_id=contact.pk,
                request=request,
                purpose=PURPOSE,
                on_behalf_of=on_behalf_of_resident(contact.resident_id),
            )
        return Response(data)


@extend_schema_view(
    get=extend_schema(
        tags=[QUESTION_TAG],
        summary="Hulpvragen / Questions",
        description=(
            "De hulpvragen van uw loketten, nieuwste eerst. Filters: status, uitkomst, "
            "levensdomein, aan mij toegewezen, open, inwoner. Elke opvraging komt als één regel "
            "'zoeken' in het toegangslog.\n\n---\n\n"
            "The questions of your desks, newest first. Filters: status, outcome, life domain, "
            "assigned to me, open, resident. Each request writes one 'search' row to the access "
            "log."
        ),
        parameters=[QuestionFilterSerializer],
        responses={200: QuestionSerializer(many=True), 400: BAD_FILTER, 403: REFUSED},
    ),
)
class QuestionListView(_LoggedListMixin, generics.ListAPIView):
    access_rule = permission_rule("contacts.view_question")
    permission_classes = [FollowsAccessRule]
    serializer_class = QuestionSerializer
    filter_serializer_class = QuestionFilterSerializer
    object_type = "contacts.question"

    def get_queryset(self) -> QuerySet[Question]:
        questions = (
            Question.objects.visible_to(self.request.user)
            .select_related("assigned_to")
            .prefetch_related(_domains())
        )
        if getattr(self, "swagger_fake_view", False):
            return questions
        filters = self.filters()
        for field in ("status", "outcome"):
            if field in filters:
                questions = questions.filter(**{field: filters[field]})
        if "domain" in filters:
            questions = questions.filter(domains=filters["domain"])
        if filters.get("assigned_to_me"):
            questions = questions.filter(assigned_to=self.request.user)
        if filters.get("open") is True:
            questions = questions.open()
        elif filters.get("open") is False:
            questions = questions.filter(status=Question.Status.CLOSED)
        if "resident" in filters:
            questions = questions.filter(resident_id=filters["resident"])
        return questions.order_by("-created_at", "-pk")


class QuestionDetailView(generics.RetrieveAPIView):
    access_rule = permission_rule("contacts.view_question")
    permission_classes = [FollowsAccessRule]
    serializer_class = QuestionSerializer

    def get_queryset(self) -> QuerySet[Question]:
        # Only for the schema (the type of the path parameter); get_object uses the selector.
        return Question.objects.visible_to(self.request.user)

    def get_object(self) -> Question:
        return question_get(viewer=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        tags=[QUESTION_TAG],
        summary="Eén hulpvraag / One question",
        description=(
            "Een hulpvraag van uw loketten. Gezondheidsnotities staan er alleen in voor wie ze "
            "mag zien. Hoort de vraag bij een inwoner, dan komt de opvraging als inzage namens "
            "die inwoner in het toegangslog.\n\n---\n\n"
            "A question of your desks. Health notes are present only for users who may see them. "
            "When the question belongs to a resident, the request is logged as a read on that "
            "resident's behalf."
        ),
        responses={200: QuestionSerializer, 403: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        question = self.get_object()
        data = self.get_serializer(question).data
        if question.resident_id:
            access_log_record(
                acting_user=request.user,
                action=Action.READ,
                object_type="contacts.question",
                object_id=question.pk,
                request=request,
                purpose=PURPOSE,
                on_behalf_of=on_behalf_of_resident(question.resident_id),
            )
        return Response(data)
