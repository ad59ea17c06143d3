"""What goes into the store: sources, citations and statements, validated at the boundary.

A ``StatementIn`` is checked on construction against the predicate vocabulary (value type,
required qualifiers, interval order, at least one citation); entity kinds and dangling
references are checked by the store, which knows the entities.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from nhsgraph.errors import BadInput, BadValue, MissingCitation
from nhsgraph.model.dates import Interval, PartialDate, parse_optional
from nhsgraph.model.predicates import ENTITY_KINDS, PREDICATES, ROLES, normalise_value, predicate

STATUSES = ("asserted", "proposed", "rejected")
MAX_QUOTE_WORDS = 16  # "about twelve words", with a little slack for hyphenated names


@dataclass(frozen=True)
class SourceIn:
    id: str
    title: str
    kind: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    document: str | None = None
    sha256: str | None = None
    text: str | None = None
    meta: dict | None = None

    def __post_init__(self):
        if not self.id or not self.title:
            raise BadInput("a source needs an id and a title")
        if self.url is not None and not self.url.lower().startswith(("http://", "https://")):
            # pages make the URL a link: no javascript:, data: or file: addresses
            raise BadInput(f"source {self.id}: url must be http(s), got {self.url[:40]!r}")
        if self.date is not None:
            object.__setattr__(self, "date", str(PartialDate.parse(self.date)))


@dataclass(frozen=True)
class CitationIn:
    source_id: str
    method: str
    span: tuple[int, int] | None = None
    file: str | None = None
    row: int | None = None
    locator: str | None = None
    quote: str | None = None
    confidence: float | None = None

    def __post_init__(self):
        if not self.source_id:
            raise MissingCitation("a citation needs a source")
        if self.span is not None:
            start, end = self.span
            if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end < start:
                raise BadInput(f"bad character span {self.span!r}")
            object.__setattr__(self, "span", (start, end))
        if self.quote is not None and len(self.quote.split()) > MAX_QUOTE_WORDS:
            raise BadInput(f"quote too long ({len(self.quote.split())} words; keep it to about "
                           f"twelve): {self.quote[:60]!r}…")
        if self.confidence is not None and not 0 <= self.confidence <= 1:
            raise BadInput(f"confidence must be between 0 and 1, got {self.confidence}")

    @property
    def locator_key(self) -> str:
        """Where in its source the citation points, as one string (kept once computed: an
        imported row's one citation serves all of that row's statements)."""
        try:
            return self.__dict__["_locator_key"]
        except KeyError:
            key = self.__dict__["_locator_key"] = self._locator()
            return key

    def _locator(self) -> str:
        parts = []
        if self.span is not None:
            parts.append(f"span:{self.span[0]}-{self.span[1]}")
        if self.file is not None or self.row is not None:
            parts.append(f"row:{self.file or ''}:{self.row if self.row is not None else ''}")
        if self.locator:
            parts.append(f"at:{self.locator}")
        return "|".join(parts) or "source"


@dataclass(frozen=True)
class StatementIn:
    subject: str
    predicate: str
    citations: tuple[CitationIn, ...]
    object: str | None = None
    value: Any = None
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    qualifiers: dict = field(default_factory=dict)
    status: str = "asserted"

    def __post_init__(self):
        pred = predicate(self.predicate)
        if not self.subject:
            raise BadInput(f"{self.predicate}: a statement needs a subject")
        object.__setattr__(self, "value", _normalise(pred, self.value, self.object))
        object.__setattr__(self, "valid_from", parse_optional(self.valid_from))
        object.__setattr__(self, "valid_to", parse_optional(self.valid_to))
        Interval(self.valid_from, self.valid_to)  # raises on an inverted interval
        if self.status not in STATUSES:
            raise BadInput(f"status must be one of {STATUSES}, got {self.status!r}")
        cites = tuple(self.citations or ())
        if not cites:
            raise MissingCitation(f"{self.subject} {self.predicate}: no statement without a citation")
        object.__setattr__(self, "citations", cites)
        object.__setattr__(self, "qualifiers", _checked_qualifiers(pred, self.qualifiers))

    @classmethod
    def trusted(cls, subject: str, predicate: str, citations: tuple[CitationIn, ...],
                object: str | None = None, value: Any = None, valid_from=None, valid_to=None,
                qualifiers: dict | None = None, status: str = "asserted") -> "StatementIn":
        """The same statement as ``StatementIn(...)``, built faster: for the importers, whose
        statements come from parsed rows (plain text/code values or an object, dates as
        ``date``/``PartialDate``). The same checks are made and raise the same errors (the
        unusual cases go through the full constructor); what is saved is the dataclass
        machinery, repeated date parsing and the structured-value (pydantic) path.
        Untrusted input (curated YAML, the API, ingest) keeps using the constructor."""
        pred = PREDICATES.get(predicate)
        if pred is None or not subject or status not in STATUSES or not citations \
                or type(citations) is not tuple or pred.value_type in _STRUCTURED \
                or (qualifiers is not None and type(qualifiers) is not dict):
            return cls(subject, predicate, citations, object, value, valid_from, valid_to,
                       qualifiers if qualifiers is not None else {}, status)
        value = _normalise(pred, value, object)
        vf = _pdate(valid_from)
        vt = _pdate(valid_to)
        if vf is not None and vt is not None and vt.first < vf.first:
            Interval(vf, vt)        # raises BadInterval
        quals = _checked_qualifiers(pred, qualifiers)
        st = _new(cls)
        st.__dict__.update(subject=subject, predicate=predicate, citations=citations,
                           object=object, value=value, valid_from=vf, valid_to=vt,
                           qualifiers=quals, status=status)
        return st

    @property
    def interval(self) -> Interval:
        return Interval(self.valid_from, self.valid_to)

    @property
    def key(self) -> str:
        """A hash of the content: the same fact stated twice is one statement. Kept on the
        instance once computed (by hand: functools.cached_property takes a lock on every
        read on Python 3.11, a measurable cost over 200,000 statements)."""
        try:
            return self.__dict__["_key"]
        except KeyError:
            key = self.__dict__["_key"] = self._content_key()
            return key

    def _content_key(self) -> str:
        value, obj, vf, vt = self.value, self.object, self.valid_from, self.valid_to
        quals = _flat_json(self.qualifiers) if value is None or type(value) is str else None
        if quals is not None and type(self.subject) is str:
            # The common case, built by hand: byte-for-byte what json.dumps gives below
            # (keys of stores written before stay the same), at a fraction of the cost.
            raw = (f'[{_enc(self.subject)},{_enc(self.predicate)},'
                   f'{"null" if obj is None else _enc(obj)},'
                   f'{"null" if value is None else _enc(value)},'
                   f'{"null" if vf is None else _enc(str(vf))},'
                   f'{"null" if vt is None else _enc(str(vt))},{quals},{_enc(self.status)}]')
        else:
            body = [self.subject, self.predicate, obj, value, _date_key(vf), _date_key(vt),
                    self.qualifiers, self.status]
            raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _normalise(pred, value, obj):
    if pred.object == "required" and not obj:
        raise BadValue(f"{pred.name} needs an object entity")
    if pred.object == "none" and obj:
        raise BadValue(f"{pred.name} takes a value, not an object entity")
    if type(value) is not str:
        return normalise_value(pred, value)
    # Text values repeat (a practice's name and postcode in every release): checked once.
    try:
        return _TEXTS[(pred.name, value)]
    except KeyError:
        pass
    out = normalise_value(pred, value)      # raises on a bad value, which is not kept
    if len(_TEXTS) < 200_000:
        _TEXTS[(pred.name, value)] = out
    return out


_TEXTS: dict[tuple[str, str], str] = {}


def _checked_qualifiers(pred, qualifiers: dict | None) -> dict:
    """A copy of the qualifiers, with the ones the predicate requires present and a post's
    role from the closed list."""
    quals = dict(qualifiers) if qualifiers else {}
    for name in pred.required_qualifiers:
        if quals.get(name) in (None, ""):
            raise BadValue(f"{pred.name} needs the qualifier {name!r}")
    if pred.name == "post" and quals["role"] not in ROLES:
        raise BadValue(f"unknown role {quals['role']!r}; known: {', '.join(sorted(ROLES))}")
    return quals


_enc = json.encoder.encode_basestring
_new = object.__new__
_STRUCTURED = ("figure", "rating", "stage", "decision", "governance_model")
_PDATES: dict = {}


def _pdate(value) -> PartialDate | None:
    """parse_optional, with the dates importers repeat (days of a release) parsed once."""
    if value is None or type(value) is PartialDate:
        return value
    try:
        return _PDATES[(type(value), value)]
    except KeyError:
        pass
    except TypeError:
        return parse_optional(value)
    d = parse_optional(value)
    if len(_PDATES) < 100_000:
        _PDATES[(type(value), value)] = d
    return d


def _flat_json(q: dict) -> str | None:
    """``json.dumps(q, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` for a
    flat dict of text, true/false, null and integer values; None for anything else (the
    caller then uses json.dumps itself)."""
    if not q:
        return "{}"
    parts = []
    for k in sorted(q):
        if type(k) is not str:
            return None
        v = q[k]
        t = type(v)
        if t is str:
            enc = _enc(v)
        elif v is True:
            enc = "true"
        elif v is False:
            enc = "false"
        elif v is None:
            enc = "null"
        elif t is int:
            enc = int.__repr__(v)
        else:
            return None
        parts.append(_enc(k) + ":" + enc)
    return "{" + ",".join(parts) + "}"


def _date_key(d: PartialDate | None):
    return None if d is None else str(d)


def check_kind(kind: str) -> str:
    if kind not in ENTITY_KINDS:
        raise BadInput(f"unknown entity kind {kind!r}; known: {', '.join(ENTITY_KINDS)}")
    return kind
