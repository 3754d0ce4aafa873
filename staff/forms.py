"""Forms of the staff pages: they parse and check the request; services do the work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.models import Agency, Level
from documents.pipeline import parse_partial_date
from documents.pipeline.errors import IngestError
from policykb.display import local_name, local_name_lang
from staff.uploads import ACCEPT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class LangSelect(forms.Select):
    """A select whose options carry the lang of their label (names in either language)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_langs: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if lang := self.option_langs.get(str(value)):
            option["attrs"]["lang"] = lang
        return option


def _agencies() -> Any:
    return Agency.objects.order_by("level", "region", "name_en").only(
        "key", "name_zh", "name_en", "level", "region", "region_zh", "parent_id", "needs_review"
    )


class AgencyChoiceField(forms.ModelChoiceField):
    widget = LangSelect

    def label_from_instance(self, obj: Agency) -> str:
        self.widget.option_langs[str(obj.pk)] = local_name_lang(obj)
        return local_name(obj)


def _agency_choices(widget: LangSelect) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", _("Read it from the notice"))]
    for agency in _agencies():
        widget.option_langs[agency.key] = local_name_lang(agency)
        choices.append((agency.key, local_name(agency)))
    return choices


class UploadForm(forms.Form):
    """Files or pasted text, with optional metadata that overrides what ingestion reads."""

    files = MultipleFileField(
        label=_("Notice files"),
        required=False,
        help_text=_("Plain text, HTML, Word (.docx) or PDF; several at once."),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    text = forms.CharField(
        label=_("Or paste the notice's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )
    agency = forms.ChoiceField(
        label=_("Issuing body"), required=False, choices=(), widget=LangSelect
    )
    issued_on = forms.CharField(
        label=_("Issue date"),
        required=False,
        max_length=10,
        help_text=_("2024, 2024-05 or 2024-05-20"),
    )
    published_on = forms.DateField(
        label=_("Publication date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_url = forms.URLField(label=_("Source address"), required=False, max_length=1000,
                                assume_scheme="https")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(self.fields["agency"].widget)

    def clean_issued_on(self) -> str:
        value = self.cleaned_data["issued_on"].strip()
        if value:
            try:
                parse_partial_date(value)
            except (IngestError, ValueError) as exc:
                raise ValidationError(_("Write the date as 2024, 2024-05 or 2024-05-20.")) from exc
        return value

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]  # NUL is refused by the field's own validator
        return text if text.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("files") and not data.get("text") and not self.errors:
            raise ValidationError(_("Choose at least one file or paste a notice's text."))
        return data

    def sidecar(self) -> dict[str, Any]:
        """The metadata as the pipeline's sidecar keys (empty values left out)."""
        data = self.cleaned_data
        published: dt.date | None = data.get("published_on")
        return {
            "agency": data.get("agency") or None,
            "issued_on": data.get("issued_on") or None,
            "published_on": published.isoformat() if published else None,
            "source_url": data.get("source_url") or None,
        }


class AgencyForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=300, required=False)
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: names notices use for this body."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    region = forms.CharField(label=_("Region (English)"), max_length=100)
    region_zh = forms.CharField(label=_("Region (Chinese)"), max_length=100, required=False)
    parent = AgencyChoiceField(
        label=_("Parent body"), queryset=Agency.objects.none(), required=False
    )
    confirmed = forms.BooleanField(
        label=_("Confirmed: this body is checked and no longer needs review"), required=False
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["parent"].queryset = Agency.objects.exclude(pk=agency.pk).order_by(
            "level", "region", "name_en"
        )

    @classmethod
    def initial_for(cls, agency: Agency) -> dict[str, Any]:
        return {
            "name_zh": agency.name_zh,
            "name_en": agency.name_en,
            "aliases": "\n".join(agency.aliases),
            "level": agency.level,
            "region": agency.region,
            "region_zh": agency.region_zh,
            "parent": agency.parent_id,
            "confirmed": not agency.needs_review,
        }

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("name_zh") and not data.get("name_en") and not self.errors:
            raise ValidationError(_("Give the body a Chinese or an English name."))
        return data

    def changes(self) -> dict[str, Any]:
        """Only what differs from the stored agency."""
        data = dict(self.cleaned_data)
        data["needs_review"] = not data.pop("confirmed")
        return {k: v for k, v in data.items() if getattr(self.agency, k) != v}


class MergeForm(forms.Form):
    target = AgencyChoiceField(label=_("Merge into"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Agency.objects.exclude(pk=agency.pk).order_by(
            "needs_review", "level", "region", "name_en"
        )
