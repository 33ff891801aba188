"""Form rendering with the NL Design System (Utrecht) form components."""

from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    "text": "utrecht-textbox utrecht-textbox--html-input",
    "email": "utrecht-textbox utrecht-textbox--html-input",
    "password": "utrecht-textbox utrecht-textbox--html-input",
    "number": "utrecht-textbox utrecht-textbox--html-input",
    "date": "utrecht-textbox utrecht-textbox--html-input",
    "url": "utrecht-textbox utrecht-textbox--html-input",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
}


class FormRenderer(TemplatesSetting):
    """Every field goes through ``forms/field.html``: label, description, error, input."""

    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        # A whole form renders with {"form": ...}; {{ field.as_field_group }} with {"field": ...}.
        form = context.get("form") or getattr(context.get("field"), "form", None)
        if form is not None:
            for bound in form:
                css = WIDGET_CLASSES.get(bound.widget_type)
                if css and "class" not in bound.field.widget.attrs:
                    bound.field.widget.attrs["class"] = css
        return super().render(template_name, context, request)


class ServiceErrorsMixin:
    """Forms whose data a service checks: ``add_service_errors`` puts the service's
    ValidationError next to the fields it names, and the rest on top of the form."""

    def add_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
