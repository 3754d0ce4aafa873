"""The JSON API (django-ninja); its OpenAPI schema is generated from the typed code."""

from ninja import NinjaAPI

from documents.api import router as documents_router
from measures.api import router as measures_router

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
