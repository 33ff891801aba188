"""Errors of the services, as the API answers them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings


def drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A Django ValidationError from a service, as a 400 with the same keys."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()
            }
        )
    return serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
