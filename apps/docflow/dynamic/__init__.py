"""DocTypes as data (Frappe's DocType records): definitions in the database,
models built at run time, tables following the definitions. See
docs/ARCHITECTURE.md, "DocTypes as data"."""


class DocTypeMiddleware:
    """Before a request runs: this worker's data-defined doctypes are those
    saved last, in any worker (one stat of the stamp file when unchanged)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .runtime import ensure_current

        ensure_current()
        return self.get_response(request)
