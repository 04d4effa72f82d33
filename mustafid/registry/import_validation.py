"""BeneficiaryForm's rules for a new import row, compiled once per import (P-COMPLETE).

Binding the form costs ~2 ms a row (its machinery, then a model instance and
Django's model validation of 40 fields); a 100,000-row import spent half its
time there. The rules themselves are cheap, so they are read from the form's
own fields once (required, lengths, choices, validators, its `clean_<field>`
methods and `clean_identity`, the model fields' validators) and applied to the
row's data as plain Python.

The form stays the source of truth: a row this refuses is bound to the form
again for its messages (and accepted if the form accepts it), so messages are
always the form's. tests/registry/test_import_validation.py checks with
hypothesis that both agree on the cleaned values and on which fields err.
"""

from collections.abc import Callable
from types import SimpleNamespace

from django import forms
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.forms.widgets import ChoiceWidget, Widget

from mustafid.registry.identity import clean_identity
from mustafid.registry.models import Beneficiary, country_codes

_READ_AS_GET = (Widget.value_from_datadict, ChoiceWidget.value_from_datadict)
_LENGTH_VALIDATORS = (
    django_validators.MaxLengthValidator,
    django_validators.MinLengthValidator,
    django_validators.ProhibitNullCharactersValidator,
)

CHOICE_RULES = ("clean", "to_python", "validate", "valid_value", "run_validators")

Check = Callable[[dict], object]


def _is_empty(value) -> bool:
    # `value in EMPTY` would compare a Decimal or a date with [] and {}: same
    # answer, but this is what Django's checks mean.
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def _model_check(model_field, form_field) -> Callable[[object], None] | None:
    """What Model.clean_fields asks of this field's value once the form has it."""
    if model_field is None or model_field.many_to_many:
        return None
    if model_field.name == "nationality":
        # Beneficiary.clean_fields: a set lookup instead of Django's choice loop.
        def nationality(value) -> None:
            if value and value not in country_codes():
                raise ValidationError("nationality", code="invalid_choice")

        return nationality
    # Model.clean_fields skips a blank field's empty value; ModelForm leaves
    # out a field the form may leave empty although the model may not.
    skip_empty = model_field.blank or not form_field.required
    fast = (
        model_field.get_internal_type() in ("CharField", "TextField")
        and model_field.editable
    )
    if not fast:

        def generic(value) -> None:
            if skip_empty and value in model_field.empty_values:
                return
            model_field.clean(value, None)

        return generic
    choices = (
        frozenset(str(key) for key, _label in model_field.flatchoices)
        if model_field.choices
        else None
    )
    field_validators = list(model_field.validators)

    def text(value) -> None:
        if value in model_field.empty_values:
            if skip_empty:
                return
            raise ValidationError("blank", code="blank")
        if choices is not None and value not in choices:
            raise ValidationError("invalid_choice", code="invalid_choice")
        for validator in field_validators:
            validator(value)

    return text


def _form_clean_method(form_class, name: str):
    method = getattr(form_class, f"clean_{name}", None)
    if method is None:
        return None
    return lambda value: method(SimpleNamespace(cleaned_data={name: value}))


def _reads_one_value(widget) -> bool:
    """The widget's value is `data.get(name)`."""
    return type(widget).value_from_datadict in _READ_AS_GET and not getattr(
        widget, "allow_multiple_selected", False
    )


def _same_rules(field, base, methods) -> bool:
    return all(getattr(type(field), m) is getattr(base, m) for m in methods)


def _plain_text(name: str, field: forms.CharField) -> Check | None:
    """forms.CharField with only length rules: to_python, validate, validators."""
    if type(field) is not forms.CharField or not _reads_one_value(field.widget):
        return None
    if not all(isinstance(v, _LENGTH_VALIDATORS) for v in field.validators):
        return None
    strip, required, empty_value = field.strip, field.required, field.empty_value
    max_length, min_length = field.max_length, field.min_length

    def check(data: dict):
        raw = data.get(name)
        value = raw if _is_empty(raw) else str(raw)
        if strip and isinstance(value, str):
            value = value.strip()
        if _is_empty(value):
            if required:
                raise ValidationError("required", code="required")
            return empty_value
        if max_length is not None and len(value) > max_length:
            raise ValidationError("max_length", code="max_length")
        if min_length is not None and len(value) < min_length:
            raise ValidationError("min_length", code="min_length")
        if "\x00" in value:
            raise ValidationError("null_characters_not_allowed", code="null")
        return value

    return check


def _plain_choice(name: str, field: forms.ChoiceField) -> Check | None:
    """A single choice whose coercion leaves its (text) value as it is."""
    typed = isinstance(field, forms.TypedChoiceField)
    base = forms.TypedChoiceField if typed else forms.ChoiceField
    if (
        not isinstance(field, forms.ChoiceField)
        or isinstance(field, forms.MultipleChoiceField)
        or not _same_rules(field, base, CHOICE_RULES)
        or not _reads_one_value(field.widget)
        or field.validators
        or (typed and type(field)._coerce is not forms.TypedChoiceField._coerce)
    ):
        return None
    valid = set()
    for key, label in field.choices:
        if isinstance(label, list | tuple):
            valid.update(str(k) for k, _label in label)
        else:
            valid.add(str(key))
    if typed:
        if any(field.coerce(k) != k for k in valid if k):
            return None
        empty_value = field.empty_value
    required = field.required

    def check(data: dict):
        raw = data.get(name)
        value = "" if _is_empty(raw) else str(raw)
        if not value:
            if required:
                raise ValidationError("required", code="required")
            return empty_value if typed else ""
        if value not in valid:
            raise ValidationError("invalid_choice", code="invalid_choice")
        return value

    return check


def _generic(name: str, field: forms.Field) -> Check:
    """Any other field: exactly what Form._clean_fields does with it."""
    widget = field.widget

    def check(data: dict):
        return field.clean(widget.value_from_datadict(data, {}, name))

    return check


class RowValidator:
    """`check(data)` -> (cleaned values, names of the fields in error), as
    `form_class(data)` would give for a new beneficiary."""

    def __init__(self, form_class: type[forms.ModelForm]):
        form = form_class()  # unbound: the fields as __init__ leaves them
        self.names = list(form_class.Meta.fields)
        model_fields = {f.name: f for f in Beneficiary._meta.get_fields()}
        self.checks = []
        for name in self.names:
            field = form.fields[name]
            if field.disabled:
                raise ValueError(f"{name}: a disabled field is not compiled.")
            check = (
                _plain_text(name, field)
                or _plain_choice(name, field)
                or _generic(name, field)
            )
            self.checks.append(
                (
                    name,
                    check,
                    _form_clean_method(form_class, name),
                    _model_check(model_fields.get(name), field),
                )
            )

    def check(self, data: dict) -> tuple[dict, set[str]]:
        cleaned: dict = {}
        failed: set[str] = set()
        for name, check, form_clean, _model in self.checks:
            try:
                value = check(data)
                if form_clean is not None:
                    value = form_clean(value)
            except ValidationError:
                failed.add(name)
            else:
                cleaned[name] = value
        # BeneficiaryForm.clean(): the identity number's format for its type.
        identity_type = cleaned.get("identity_type")
        raw = cleaned.get("identity_number")
        if identity_type and raw:
            try:
                cleaned["identity_number"] = clean_identity(identity_type, raw)
            except ValidationError:  # a failed check digit too: no override here
                failed.add("identity_number")
                del cleaned["identity_number"]
        # ModelForm._post_clean(): the model's validation of the fields that passed.
        for name, _check, _form_clean, model_check in self.checks:
            if model_check is None or name in failed:
                continue
            try:
                model_check(cleaned[name])
            except ValidationError:
                failed.add(name)
                del cleaned[name]
        return cleaned, failed
