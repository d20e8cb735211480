"""The registry of document types: how the engine, the API, the reports and
the desk find a process model by its Frappe-style name ("Permohonan SKT")."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .exceptions import UnknownDocType


@dataclass(frozen=True)
class DocType:
    doctype: str  # Frappe-style name with spaces, used by the API and reports
    model: type
    process_code: str  # e.g. "P8.1"
    group: str  # process group shown in the desk navigation, e.g. "Perizinan (P8)"
    autoname: str  # pattern of the document's `name`, e.g. "PSKT-{YYYY}-{seq:05}"
    title_field: str = "name"
    holder_field: str | None = None  # whose document it is (printed and verified)
    valid_until_field: str | None = None  # how long an issued document is valid
    owner_unit: str | None = None  # code of the unit that owns new documents
    additional_units: tuple[str, ...] = ()  # codes of units that own new documents jointly (P4.1: three bidang)
    list_fields: tuple[str, ...] = ()
    on_enter_state: Callable | None = None  # hook(doc, state, log) after the engine's own
    print_context: Callable | None = None  # extra context for print formats
    print_format_for: Callable | None = None  # (doc, state's format) -> the format to issue with
    restrict_visibility: Callable | None = None  # (user) -> Q every viewer must also match (secret letters)
    extend_visibility: Callable | None = None  # (user) -> Q of documents a user sees beyond their units
    after_create: Callable | None = None  # (doc, user), inside the creating transaction
    assignee_field: str | None = None  # a user field: the person a document waits for
    allow_on_submit: tuple[str, ...] = ()  # fields still editable once docstatus is 1 (Frappe's allow_on_submit)
    # Frappe's validate: (doc, user, old) before every create (old None) and update by a user, in the
    # writing transaction; derives computed fields and raises DocflowError/ValidationError to refuse
    validate: Callable | None = None
    # Frappe's child tables: the Table field's name -> the model of its rows
    children: dict = field(default_factory=dict)
    # (doc, user) -> fields the user may not write (permission levels); None: no such rule
    locked_fields: Callable | None = None
    # (user) -> fields the user may not read (permission levels); None: no such rule
    hidden_fields: Callable | None = None
    definition: object | None = None  # the DocTypeDef of a data-defined doctype (None: code-defined)
    # (user, "print"|"submit"|"cancel"|"export"|"report") -> bool: Frappe's DocPerm flags beyond
    # read/write/create/delete (None: no such rule; the desk's model permissions decide)
    permission: Callable | None = None
    extra: dict = field(default_factory=dict)

    @property
    def data_defined(self) -> bool:
        return self.definition is not None

    def allows(self, user, action: str) -> bool:
        """Frappe's DocPerm flag ``action`` (print, submit, cancel, export, report) for ``user``."""
        return self.permission is None or self.permission(user, action)

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


@dataclass(frozen=True)
class MasterType:
    """Reference data without a workflow (Frappe's non-submittable DocType),
    readable through the API, e.g. "Klasifikasi Arsip"."""

    doctype: str
    model: type
    name_field: str  # what the API calls `name`
    default_order: str = ""
    # (payload, user) -> object: POST /api/resource/<doctype> creates one (needs the model's add permission)
    create: Callable | None = None
    hidden_fields: tuple[str, ...] = ()  # never sent by the API (secrets)
    staff_readable: bool = True  # False: only with the model's view permission (configuration)

    @property
    def aliases(self) -> dict:
        return {"name": self.name_field}


_masters: dict[str, MasterType] = {}
_masters_by_model: dict[type, MasterType] = {}


def register_master(info: MasterType) -> MasterType:
    _masters[info.doctype] = info
    _masters_by_model[info.model] = info
    return info


def master(doctype: str) -> MasterType | None:
    return _masters.get(doctype)


def master_for_model(model) -> MasterType | None:
    return _masters_by_model.get(model)


_by_name: dict[str, DocType] = {}
_by_model: dict[type, DocType] = {}


def register(info: DocType) -> DocType:
    _by_name[info.doctype] = info
    _by_model[info.model] = info
    return info


def unregister(doctype: str) -> None:
    info = _by_name.pop(doctype, None)
    if info is not None:
        _by_model.pop(info.model, None)


def _load_data_defined() -> None:
    """Bring the data-defined doctypes up to date in this worker (cheap when
    nothing changed: one stat of the stamp file)."""
    from .dynamic.runtime import ensure_current

    ensure_current()


def get(doctype: str, *, load: bool = True) -> DocType:
    try:
        return _by_name[doctype]
    except KeyError:
        if load:
            _load_data_defined()
            if doctype in _by_name:
                return _by_name[doctype]
        raise UnknownDocType(doctype=doctype) from None


def desk_url(doc) -> str:
    """Where a registered document opens in the desk."""
    return f"/app/{doc._meta.app_label}/{doc._meta.model_name}/{doc.pk}/change/"


def for_model(model_or_instance) -> DocType:
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    model = getattr(model._meta, "concrete_model", model) if model not in _by_model else model
    try:
        return _by_model[model]
    except KeyError:
        if model._meta.app_label == "docflow_data":  # a model rebuilt since (a definition changed)
            return get(str(model._meta.verbose_name))
        raise UnknownDocType(doctype=model.__name__) from None


# Named Python hooks a data-defined doctype may reference (a computed amount,
# a cross-document check): the only Python such a process needs.
_hooks: dict[str, Callable] = {}


def hook(name: str):
    """Register ``fn(doc, user, old)`` under ``name`` for DocTypes' ``validate_hook``."""

    def decorate(fn):
        _hooks[name] = fn
        return fn

    return decorate


def get_hook(name: str) -> Callable | None:
    return _hooks.get(name)


def hook_names() -> list[str]:
    return sorted(_hooks)


_listeners: list[Callable] = []


def on_transition(listener: Callable) -> Callable:
    """Register ``listener(doc, log)``, called after a workflow step commits.

    For apps that react to state changes (e-mail to applicants, webhooks)
    without the engine knowing them.
    """
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def transition_listeners() -> list[Callable]:
    return list(_listeners)


def reportable(user) -> list[DocType]:
    """The doctypes whose reports ``user`` may read (Frappe's DocPerm ``report``
    on data-defined doctypes; code-defined ones have no such rule)."""
    return [i for i in all_doctypes() if i.allows(user, "report")]


def all_doctypes() -> list[DocType]:
    _load_data_defined()
    return sorted(_by_name.values(), key=lambda d: (d.process_code, d.doctype))


def names(*, load: bool = True) -> list[str]:
    if load:
        _load_data_defined()
    return sorted(_by_name)
