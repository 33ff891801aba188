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
