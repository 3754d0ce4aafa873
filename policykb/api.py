"""The JSON API (django-ninja); its OpenAPI schema is generated from the typed code."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from documents.api import router as documents_router
from measures.api import router as measures_router
from policykb.api_params import INVALID, NOT_FOUND

api = NinjaAPI(
    title="PolicyKB API",
    version="1",
    description="Government support measures for SMEs, searchable in English and Chinese.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("", measures_router)
api.add_router("", documents_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)


def _parameter(loc: list[str | int]) -> str:
    """The parameter an error is about: loc is ("query", name, …) or, for the parameters
    of a schema, ("query", "params", name, index)."""
    names = [part for part in loc[1:] if isinstance(part, str) and part != "params"]
    return names[0] if names else ""


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with pydantic's errors and one sentence in the interface language."""
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors
    ]
    names = ", ".join(dict.fromkeys(n for e in errors if (n := _parameter(e["loc"]))))
    message = INVALID % {"names": names or "?"}
    return api.create_response(request, {"message": message, "detail": errors}, status=422)
