"""Forms of the curation pages: each parses a request for one service call."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import Agency, Document, PublicationStatus
from documents.services import CURATABLE_FIELDS
from measures.models import Tag
from measures.services import TARGET_COMPARATORS
from policykb.display import local_name


class OrderedChoiceField(forms.TypedMultipleChoiceField):
    """Several selects of one name, read in page order; blanks are empty places."""

    widget = forms.MultipleHiddenInput  # rendered by the template, one select per place

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(coerce=int, **kwargs)

    def to_python(self, value):  # type: ignore[no-untyped-def]
        return [v for v in super().to_python(value) if v != ""]

    def has_changed(self, initial, data) -> bool:  # type: ignore[no-untyped-def]
        # The order is part of the value, unlike a plain multiple choice.
        return [str(v) for v in initial or []] != [str(v) for v in self.to_python(data)]


class DocumentMetadataForm(forms.ModelForm):
    """Issuer, number, dates and titles of a notice (document_update)."""

    class Meta:
        model = Document
        fields = list(CURATABLE_FIELDS)
        labels = {"agency": _("Issuing body")}
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("issued_on", "published_on", "effective_on", "expires_on")
        }

    # Co-issuers of a joint notice, in the notice's order: one select per place, blanks
    # ignored (document_issuers_set keeps the order and refuses the lead or a repeat).
    co_issuers = OrderedChoiceField(label=_("Co-issuers, in the notice's order"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.order_by("level", "name_en")
        self.fields["agency"].queryset = agencies
        # Bodies by their name in the interface language (the other name only when the
        # body has none in it), as the public pages name them.
        self.fields["agency"].label_from_instance = local_name
        self.fields["co_issuers"].choices = [(a.pk, local_name(a)) for a in agencies]
        if self.instance.pk:
            self.initial["co_issuers"] = [a.pk for a in self.instance.ordered_co_issuers]

    def co_issuer_places(self) -> list[int | None]:
        """What each co-issuer select shows: the current ones, then two empty places."""
        return [*self.initial.get("co_issuers", []), None, None]

    def issuers_changed(self) -> bool:
        return bool({"agency", "co_issuers"} & set(self.changed_data))

    def issuers(self) -> tuple[Agency | None, list[Agency]]:
        """The lead and the co-issuers in the order given."""
        chosen = Agency.objects.in_bulk(self.cleaned_data["co_issuers"])
        return self.cleaned_data["agency"], [chosen[pk] for pk in self.cleaned_data["co_issuers"]]

    def changes(self) -> dict:
        """The plain fields changed (the issuers go through ``issuers()``)."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name not in ("agency", "co_issuers")
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(PublicationStatus.REVIEW, ""), (PublicationStatus.PUBLISHED, ""),
                 (PublicationStatus.DRAFT, "")]
    )  # fmt: skip


class SplitForm(forms.Form):
    """Where to cut: the words the second part starts with, or a character offset."""

    marker = forms.CharField(
        label=_("The second part starts with"), required=False, max_length=500, strip=False
    )
    at = forms.IntegerField(label=_("or at character"), required=False, min_value=1)

    def __init__(self, *args, text: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.text = text

    def clean(self) -> dict:
        data = super().clean()
        marker, at = data.get("marker") or "", data.get("at")
        if marker.strip():
            marker = marker.strip()
            count = self.text.count(marker)
            if count == 0:
                raise forms.ValidationError(_("These words are not in the measure's text."))
            if count > 1:
                raise forms.ValidationError(
                    _("These words appear more than once: type a few more of them.")
                )
            data["at"] = self.text.index(marker)
        elif at is None:
            raise forms.ValidationError(_("Say where to split the measure."))
        if not 0 < data["at"] < len(self.text):
            raise forms.ValidationError(_("A split must leave text in both parts."))
        return data


class MoveForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, empty_value=None,
                                     required=False)  # fmt: skip

    def __init__(self, *args, sections: list, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("No section"))] + [
            (n, f"{label} {title}".strip()) for n, label, title in sections
        ]


class SectionRenameForm(forms.Form):
    title = forms.CharField(label=_("Heading"), max_length=500)


class TextForm(forms.Form):
    """A measure's title and text in one language (a translation, or the original's title)."""

    title = forms.CharField(label=_("Title"), max_length=1000)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}),
                           required=False, max_length=50_000)  # fmt: skip


class TargetForm(forms.Form):
    value = forms.FloatField(label=_("Value"))
    value_max = forms.FloatField(label=_("Up to"), required=False)
    comparator = forms.ChoiceField(
        label=_("Comparator"),
        required=False,
        choices=[("", "–")]
        + [(c, c.replace(">=", "≥").replace("<=", "≤")) for c in TARGET_COMPARATORS],
    )
    unit = forms.CharField(label=_("Unit"), max_length=200)
    period = forms.CharField(
        label=pgettext_lazy("target", "Period"), max_length=200, required=False
    )
    text = forms.CharField(label=_("As written"), max_length=1000, required=False)


TargetFormSet = forms.formset_factory(TargetForm, extra=1, can_delete=True, max_num=50,
                                      validate_max=True)  # fmt: skip


class TagChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Tag) -> str:
        return f"{obj.name_en} / {obj.name_zh}"


class MeasureTagsForm(forms.Form):
    tags = TagChoiceField(queryset=Tag.objects.all(), required=False,
                          widget=forms.CheckboxSelectMultiple, label=_("Tags"))  # fmt: skip


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Text contains"), required=False, max_length=200)
    document = forms.IntegerField(label=_("Document number in PolicyKB"), required=False,
                                  min_value=1, max_value=2**62)  # fmt: skip
    tag = forms.SlugField(label=_("Tag"), required=False)
    missing = forms.ChoiceField(
        label=_("Missing translation"),
        required=False,
        choices=[("", _("Any")), ("en", _("No English version")), ("zh", _("No Chinese version"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + list(PublicationStatus.choices))  # fmt: skip


class BulkTagForm(forms.Form):
    measures = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    tag = forms.ModelChoiceField(queryset=Tag.objects.all(), to_field_name="slug", label=_("Tag"))
    action = forms.ChoiceField(choices=[("add", _("Add")), ("remove", _("Remove"))])

    def __init__(self, *args, ids: list[int], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = [(i, i) for i in ids]


class TagForm(forms.ModelForm):
    keywords_zh = forms.CharField(label=_("Chinese keywords (one a line)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    keywords_en = forms.CharField(label=_("English keywords (one a line)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    class Meta:
        model = Tag
        fields = ["kind", "slug", "name_en", "name_zh"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["keywords_zh"] = "\n".join(self.instance.keywords_zh)
            self.initial["keywords_en"] = "\n".join(self.instance.keywords_en)

    def values(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        for name in ("keywords_zh", "keywords_en"):
            data[name] = self.cleaned_data[name].splitlines()
        return data


class GlossaryTermForm(forms.Form):
    zh = forms.CharField(label=_("Chinese term"), max_length=100)
    en = forms.CharField(label=_("English renderings (one a line)"),
                         widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)  # fmt: skip
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
