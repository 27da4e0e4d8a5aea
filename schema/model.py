"""The words of the domain: kinds, channels, modalities, verdicts, ids and values."""
from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, model_validator

from .datetypes import PartialDateText
from .limits import MAX_ID, MAX_LANGUAGE_TAG, Name, Number, Offset, Quote, TextValue, Unit

# re-exported: the pure helpers live in values, which reading needs without pydantic
from .values import FORWARD_MODALITIES as FORWARD_MODALITIES
from .values import content_id as content_id
from .values import follow as follow
from .values import is_promise as is_promise
from .values import number as number
from .values import object_label as object_label
from .values import source_id as source_id


class Kind(str, Enum):
    person = "person"
    org = "org"
    model = "model"
    hardware = "hardware"
    product = "product"


class Channel(str, Enum):
    x_post = "x_post"
    podcast = "podcast"
    interview = "interview"
    keynote = "keynote"
    blog = "blog"
    docs = "docs"
    press_release = "press_release"
    website_code = "website_code"
    press_report = "press_report"
    livestream = "livestream"
    other = "other"


class Modality(str, Enum):
    asserted = "asserted"
    promised = "promised"
    planned = "planned"
    predicted = "predicted"
    hedged = "hedged"
    denied = "denied"
    aspired = "aspired"


class Verdict(str, Enum):
    kept = "kept"
    broken = "broken"
    partly_kept = "partly_kept"
    withdrawn = "withdrawn"
    unresolvable = "unresolvable"


class Status(str, Enum):
    """A proposition's status at a valid-time date: a verdict, or pending/overdue."""
    pending = "pending"
    overdue = "overdue"
    kept = "kept"
    broken = "broken"
    partly_kept = "partly_kept"
    withdrawn = "withdrawn"
    unresolvable = "unresolvable"


ENTITY_ID_PATTERN = r"^(person|org|model|hardware|product):[a-z0-9]+(?:[-.][a-z0-9]+)*$"
PREDICATE_PATTERN = r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$"
#: the shape of a BCP 47 tag (``check_language`` also checks its subtags are registered)
LANGUAGE_PATTERN = r"^(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*|[xXiI](?:-[A-Za-z0-9]{1,8})+)$"
ENTITY_ID_RE = re.compile(ENTITY_ID_PATTERN)
PREDICATE_RE = re.compile(PREDICATE_PATTERN)
LANGUAGE_RE = re.compile(LANGUAGE_PATTERN)

CORE_PREDICATES = (
    "release", "released", "delay", "remove_from_roadmap", "trained_on", "develops",
    "leads", "owns", "founded", "competes_with", "successor_of", "outperforms",
    "most_capable", "team_size", "invests_in", "buys",
)


def check_entity_id(value: str) -> str:
    if len(value) > MAX_ID:
        raise ValueError(f"not an entity id: {len(value)} characters (at most {MAX_ID})")
    if not ENTITY_ID_RE.match(value):
        raise ValueError(
            f"not an entity id: {value!r} (use kind:slug with kind one of "
            f"{', '.join(k.value for k in Kind)} and a lowercase slug, e.g. model:grok-3)")
    return value


def check_predicate(value: str) -> str:
    if len(value) > 80:
        raise ValueError(f"not a predicate: {len(value)} characters (at most 80)")
    if not PREDICATE_RE.match(value):
        raise ValueError(f"not a predicate: {value!r} (predicates are snake_case, e.g. trained_on)")
    return value


def check_language(value: str) -> str:
    """A valid BCP 47 tag, in its canonical case (``en-us`` -> ``en-US``), so that a tag
    reads the same after any round trip."""
    from .langtags import canonical

    if len(value) > MAX_LANGUAGE_TAG or not LANGUAGE_RE.match(value):
        raise ValueError(f"not a language tag: {value!r} (use e.g. de, en, en-US)")
    return canonical(value)


# Input forms (claim files, mutations) explain what is wrong in the message;
# the stored forms in events are checked by pattern inside the validator core, which
# keeps bulk appends fast. Both accept exactly the same strings.
EntityId = Annotated[str, AfterValidator(check_entity_id)]
Predicate = Annotated[str, AfterValidator(check_predicate)]
Language = Annotated[str, AfterValidator(check_language)]
EntityIdText = Annotated[str, StringConstraints(pattern=ENTITY_ID_PATTERN, max_length=MAX_ID)]
PredicateText = Annotated[str, StringConstraints(pattern=PREDICATE_PATTERN, max_length=80)]
LanguageText = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN, max_length=MAX_LANGUAGE_TAG)]


def id_text(prefix: str) -> Any:
    """The stored form of a claim, proposition or resolution id: ``prefix:`` and up to 64
    letters, digits, '.', '_' or '-' (content-derived ids are 16 hex digits)."""
    return StringConstraints(pattern=rf"^{prefix}:[0-9A-Za-z._-]{{1,64}}$")


ClaimId = Annotated[str, id_text("claim")]
PropositionId = Annotated[str, id_text("prop")]
ResolutionId = Annotated[str, id_text("resolution")]
SourceId = Annotated[str, StringConstraints(pattern=r"^source:[0-9a-f]{16}$")]


def kind_of(entity_id: str) -> Kind:
    return Kind(entity_id.split(":", 1)[0])


def name_from_id(entity_id: str) -> str:
    """A readable name for an entity known only by id: model:grok-3 -> "Grok 3"."""
    slug = entity_id.split(":", 1)[1]
    return " ".join(part[:1].upper() + part[1:] for part in slug.split("-"))


def slugify(name: str) -> str:
    import unicodedata

    from .text import nfc
    ascii_ = unicodedata.normalize("NFKD", nfc(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.]+", "-", ascii_.lower()).strip("-.") or "x"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Alias(Frozen):
    name: Name
    lang: LanguageText | None = None


def check_object_shape(obj: Any) -> Any:
    """An object is exactly one of an entity, a date, a value (with an optional unit), a text."""
    given = [k for k in ("entity", "date", "value", "text") if getattr(obj, k) is not None]
    if len(given) != 1:
        raise ValueError("an object is exactly one of: an entity id, {date}, {value, unit} or {text}")
    if obj.unit is not None and obj.value is None:
        raise ValueError("'unit' needs 'value'")
    return obj


def check_interval(valid_from: str | None, valid_to: str | None) -> None:
    """A validity interval may not end before it starts."""
    if valid_from and valid_to and valid_from[:len(valid_to)] > valid_to:
        raise ValueError(f"valid_to {valid_to} is before valid_from {valid_from}")


class ObjectValue(Frozen):
    """A proposition's object: an entity, or a typed value (date, quantity+unit, text)."""
    entity: EntityIdText | None = None
    date: PartialDateText | None = None
    value: Number | None = None
    unit: Unit | None = None
    text: TextValue | None = None

    _shape = model_validator(mode="after")(check_object_shape)

    def canonical(self) -> dict[str, Any]:
        return {k: (number(v) if k == "value" else v)
                for k, v in self.model_dump(exclude_none=True).items()}

    def label(self) -> str:
        return object_label(self.canonical())


class Proposition(Frozen):
    id: PropositionId
    subject: EntityIdText
    predicate: PredicateText
    object: ObjectValue | None = None
    quantity: Number | None = None
    unit: Unit | None = None
    due: PartialDateText | None = None
    #: when the proposition holds (e.g. a tenure: leads from 2019 to 2023), partial dates
    valid_from: PartialDateText | None = None
    valid_to: PartialDateText | None = None

    @staticmethod
    def make(subject: str, predicate: str, object: ObjectValue | None = None,
             quantity: float | int | None = None, unit: str | None = None,
             due: str | None = None, valid_from: str | None = None,
             valid_to: str | None = None) -> Proposition:
        body: dict[str, Any] = {"subject": subject, "predicate": predicate,
                                "object": object.canonical() if object else None,
                                "quantity": number(quantity), "unit": unit, "due": due}
        # only a given interval enters the id, so propositions without one keep theirs
        interval = {k: v for k, v in (("valid_from", valid_from), ("valid_to", valid_to)) if v}
        return Proposition(id=content_id("prop", {**body, **interval}), **{**body, **interval, "object": object})


class Evidence(Frozen):
    source_id: SourceId
    quote: Quote
    start: Offset
    end: Offset
    language: LanguageText | None = None
    verified: bool = True
