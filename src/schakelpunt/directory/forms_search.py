"""The search form of the social map (desk and public guide): GET parameters, shareable.

The parameter names are what shows in the address bar (``?q=schuld&categorie=...&gratis=1``);
they hold no personal data. Invalid input filters nothing rather than giving an error page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from schakelpunt.directory.selectors import TermChoices, term_choices
from schakelpunt.organisations.models import District, Municipality


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken in de sociale kaart"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: schulden, mantelzorg, huishoudelijke hulp."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    categorie = forms.ChoiceField(label=_("Soort aanbod"), required=False)
    doelgroep = forms.ChoiceField(label=_("Doelgroep"), required=False)
    gemeente = forms.TypedChoiceField(label=_("Gemeente"), required=False, coerce=int, empty_value=None)
    wijk = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)
    leeftijd = forms.IntegerField(
        label=_("Leeftijd"),
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    gratis = forms.BooleanField(label=_("Alleen gratis"), required=False)
    nu_open = forms.BooleanField(label=_("Nu open"), required=False)
    plek = forms.BooleanField(label=_("Plaats beschikbaar"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        terms: TermChoices | None = None,
        municipalities: list[Municipality] | None = None,
        districts: list[District] | None = None,
        public: bool = False,
    ) -> None:
        super().__init__(data)
        for name, field in self.fields.items():
            field.template_name = "directory/search_field.html"
            if name != "q":
                # htmx searches again when a filter changes (see the templates' hx-trigger).
                field.widget.attrs["data-filter"] = ""
        self.terms = terms or term_choices()
        category_choices: list[Any] = [("", _("Alle soorten aanbod"))]
        for top, children in self.terms.categories:
            if children:
                category_choices.append(
                    (
                        top.name,
                        [(str(top.pk), _("Alles in %(name)s") % {"name": top.name})]
                        + [(str(child.pk), child.name) for child in children],
                    )
                )
            else:
                category_choices.append((str(top.pk), top.name))
        self.fields["categorie"].choices = category_choices
        self.fields["doelgroep"].choices = [("", _("Alle doelgroepen"))] + [
            (str(term.pk), term.name) for term in self.terms.target_groups
        ]
        self.municipalities = {m.pk: m for m in municipalities or []}
        self.districts = {d.pk: d for d in districts or []}
        self.fields["gemeente"].choices = [("", _("Alle gemeenten"))] + [
            (m.pk, m.name) for m in self.municipalities.values()
        ]
        district_choices: list[Any] = [("", _("Alle wijken"))]
        by_municipality: dict[str, list] = {}
        for district in self.districts.values():
            by_municipality.setdefault(district.municipality.name, []).append((district.pk, district.name))
        district_choices += list(by_municipality.items())
        self.fields["wijk"].choices = district_choices
        if public:
            # The public guide searches by words and category; the rest is for the desk.
            for name in ("doelgroep", "gemeente", "wijk", "leeftijd", "nu_open", "plek"):
                del self.fields[name]
        if not self.municipalities:
            self.fields.pop("gemeente", None)
        if not self.districts:
            self.fields.pop("wijk", None)
        if not self.terms.target_groups:
            self.fields.pop("doelgroep", None)

    @property
    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``service_search``; invalid fields are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        by_id = self.terms.by_id
        return {
            "query": data.get("q") or "",
            "category": by_id.get(data.get("categorie") or ""),
            "target_group": by_id.get(data.get("doelgroep") or ""),
            "municipality": self.municipalities.get(data.get("gemeente")),
            "district": self.districts.get(data.get("wijk")),
            "age": data.get("leeftijd"),
            "free": bool(data.get("gratis")),
            "open_now": bool(data.get("nu_open")),
            "has_capacity": bool(data.get("plek")),
        }

    @property
    def is_filtered(self) -> bool:
        filters = self.filters
        return any(value for key, value in filters.items() if key != "query") or filters["age"] == 0
