"""Which measures apply to a company: its place, size class, recognitions and needs.

A measure applies when its issuer's reach covers the company (national measures
everywhere, provincial ones in their province, municipal and district ones in their
city), it serves a need the company named (any need if none is named), its size limit,
if it states one (measures.sizeclass), includes the company's class, and it is not only
for recognised groups (专精特新, 瞪羚 …) the company is not in. The same SQL gives the page,
its counts and the complete export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Agency, Level
from measures.models import Measure, Tag, TagKind
from measures.sizeclass import SIZE_TAGS, Classification, size_names
from policykb import display

# What a company may need, and the tags of measures that serve it.
NEEDS = {
    "finance": (gettext_lazy("financing"), ("finance", "loan-credit", "guarantee", "equity-investment", "risk-compensation", "insurance", "capital-markets")),
    "tax": (gettext_lazy("tax and fee relief"), ("tax-fees", "tax-fee-relief", "deferred-payment")),
    "rent": (gettext_lazy("rent"), ("rent-relief",)),
    "talent": (gettext_lazy("talent and hiring"), ("talent-training", "employment")),
    "digital": (gettext_lazy("digitalisation"), ("digital-transformation",)),
    "innovation": (gettext_lazy("innovation"), ("innovation-rd", "intellectual-property", "entrepreneurship-carriers")),
    "markets": (gettext_lazy("markets and exports"), ("market-expansion", "procurement-preference", "foreign-trade")),
    "services": (gettext_lazy("services and advice"), ("public-services", "service", "legal-aid", "policy-access", "legal-rights")),
}  # fmt: skip
# Recognitions a company may hold: target groups a measure may be reserved for.
RECOGNITIONS = ("specialised-sme", "little-giant", "innovative-sme", "tech-sme", "gazelle",
                "unicorn", "fledgling", "hidden-champion")  # fmt: skip
PER_GROUP = 10


@dataclass(frozen=True)
class Place:
    region: str
    name_en: str
    name_zh: str
    province: str = ""  # the province a city is in, when the registry knows it

    @property
    def name(self) -> str:
        return (
            display.in_ui_script(self.name_zh or self.name_en)
            if display.is_chinese_ui()
            else self.name_en
        )


def places() -> tuple[list[Place], list[Place]]:
    """Provinces and cities the base knows (from its agencies), cities with their province."""
    agencies = list(Agency.objects.select_related("parent").filter(
        level__in=[Level.PROVINCIAL, Level.MUNICIPAL]))  # fmt: skip
    provinces: dict[str, Place] = {}
    cities: dict[str, Place] = {}
    for agency in agencies:
        if agency.level == Level.PROVINCIAL:
            provinces.setdefault(
                agency.region, Place(agency.region, agency.region, agency.region_zh)
            )
    for agency in agencies:
        if agency.level == Level.MUNICIPAL:
            parent, province = agency.parent, ""
            while parent is not None and not province:
                province = parent.region if parent.level == Level.PROVINCIAL else ""
                parent = parent.parent
            if agency.region not in cities or province:
                cities[agency.region] = Place(
                    agency.region, agency.region, agency.region_zh, province
                )
    return sorted(provinces.values(), key=lambda p: p.region), sorted(
        cities.values(), key=lambda p: p.region
    )


@dataclass
class Profile:
    province: str = ""
    city: str = ""
    size: str | None = None  # medium, small, micro, large; None if unknown
    classification: Classification | None = None
    recognitions: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def _tag_ids(slugs) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return dict(Tag.objects.filter(slug__in=list(slugs)).values_list("slug", "id"))


def matching_sql(profile: Profile) -> tuple[str, list]:
    """SQL of every published measure that applies (measure_id, tag_ids, issued_on, score)."""
    clauses = ["t.is_public"]
    params: list = []
    reach = ["t.level = 'national'"]
    if profile.province:
        reach.append("(t.level = 'provincial' AND t.region = %s)")
        params.append(profile.province)
    if profile.city:
        reach.append("(t.level IN ('municipal', 'district') AND t.region = %s)")
        params.append(profile.city)
    clauses.append(f"({' OR '.join(reach)})")
    if profile.needs:
        wanted = {slug for need in profile.needs for slug in NEEDS[need][1]}
        clauses.append("t.tag_ids && %s::bigint[]")
        params.append(list(_tag_ids(wanted).values()) or [0])
    size_ids = _tag_ids(SIZE_TAGS.values())
    if profile.size and size_ids:
        own = (
            [size_ids[SIZE_TAGS[profile.size]]]
            if profile.size in SIZE_TAGS and SIZE_TAGS[profile.size] in size_ids
            else []
        )
        # a measure limited to other size classes does not apply
        clauses.append("NOT (t.tag_ids && %s::bigint[] AND NOT t.tag_ids && %s::bigint[])")
        params += [list(size_ids.values()), own or [0]]
    groups = dict(Tag.objects.filter(kind=TagKind.TARGET_GROUP).values_list("slug", "id"))
    lacking = [groups[s] for s in RECOGNITIONS if s in groups and s not in profile.recognitions]
    others = [i for s, i in groups.items() if i not in lacking]
    if lacking:
        # only for recognised groups the company is not in: left out
        clauses.append("NOT (t.tag_ids && %s::bigint[] AND NOT t.tag_ids && %s::bigint[])")
        params += [lacking, others or [0]]
    sql = (
        "SELECT DISTINCT ON (t.measure_id) t.measure_id, t.tag_ids, t.issued_on, 0.0::float8 AS score"
        f" FROM measures_measuretext t WHERE {' AND '.join(clauses)}"
        " ORDER BY t.measure_id, t.provenance <> 'original'"
    )
    return sql, params


ORDER = "issued_on DESC NULLS LAST, measure_id DESC"


@dataclass
class Match:
    measure: Measure
    reasons: list[str]
    uncertain: list[str]


@dataclass
class Group:
    key: str
    label: str
    count: int
    matches: list[Match]


def measures_match(profile: Profile) -> tuple[int, list[Group]]:
    """The number of applicable measures and the newest of them grouped by need."""
    sql, params = matching_sql(profile)
    needs = profile.needs or ["all"]
    groups_sql, group_params = [], []
    for need in needs:
        ids = list(_tag_ids(NEEDS[need][1]).values()) if need in NEEDS else None
        groups_sql.append("(%s, %s::bigint[])")
        group_params += [need, ids]
    statement = (
        f"WITH hits AS MATERIALIZED ({sql}),"
        f" groups(need, ids) AS (VALUES {', '.join(groups_sql)})"
        " SELECT g.need, x.measure_id, x.n, (SELECT count(*) FROM hits) FROM groups g,"
        " LATERAL (SELECT measure_id, count(*) OVER () AS n FROM hits"
        "   WHERE g.ids IS NULL OR hits.tag_ids && g.ids"
        f"   ORDER BY {ORDER} LIMIT %s) x"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *group_params, PER_GROUP])
        rows = cursor.fetchall()
    total = rows[0][3] if rows else 0
    loaded = Measure.objects.filter(pk__in={r[1] for r in rows}).with_details().in_bulk()
    found: dict[str, tuple[int, list[Match]]] = {}
    for need, measure_id, n, _total in rows:
        measure = loaded.get(measure_id)
        if measure is not None:
            count, matches = found.setdefault(need, (n, []))
            matches.append(_explain(measure, profile, need))
    labels = {key: str(label) for key, (label, _slugs) in NEEDS.items()}
    groups = [
        Group(need, labels.get(need, _("All applicable measures")), *found.get(need, (0, [])))
        for need in needs
    ]
    return total, groups


def _explain(measure: Measure, profile: Profile, need: str) -> Match:
    reasons, uncertain = [], []
    provinces, cities = places()
    names = {p.region: p.name for p in [*provinces, *cities]}
    if measure.level == Level.NATIONAL:
        reasons.append(_("national measure"))
    elif measure.level == Level.PROVINCIAL:
        reasons.append(
            _("your province: %(name)s") % {"name": names.get(measure.region, measure.region)}
        )
    else:
        reasons.append(
            _("your city: %(name)s") % {"name": names.get(measure.region, measure.region)}
        )
    tags = list(measure.tags.all())
    for tag in tags:
        if tag.slug in profile.recognitions:
            reasons.append(_("for %(group)s") % {"group": display.local_name(tag)})
    if need in NEEDS:
        reasons.append(_("matches your need: %(need)s") % {"need": NEEDS[need][0]})
    sizes = [t for t in tags if t.kind == TagKind.SIZE_CLASS]
    if sizes and profile.size:
        reasons.append(_("size: %(size)s") % {"size": size_names()[profile.size]})
    elif sizes:
        uncertain.append(_("this measure is limited to: %(sizes)s; your size class is not known")
                         % {"sizes": _(", ").join(display.local_name(t) for t in sizes)})  # fmt: skip
    else:
        uncertain.append(_("this measure does not state a size limit"))
    return Match(measure, reasons, uncertain)
