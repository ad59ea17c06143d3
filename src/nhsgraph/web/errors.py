"""Bad input on the pages, said the NHS.UK way: a date field that does not hold a date
gets an error summary at the top of the page and an error message on the field
(https://service-manual.nhs.uk/design-system/components/error-message), and the page
answers 422; the reason comes from the date parser."""

from __future__ import annotations

from nhsgraph.errors import BadDate
from nhsgraph.model.dates import PartialDate

STATUS = 422


def date_error(value: str | None, label: str = "Date") -> str | None:
    """None when ``value`` is empty or a date (YYYY, YYYY-MM, YYYY-MM-DD); else the error
    message to show on the field, with the parser's reason."""
    if value is None or not value.strip():
        return None
    try:
        PartialDate.parse(value)
    except BadDate as exc:
        reason = str(exc).split("(", 1)[1].rstrip(")") if "(" in str(exc) else "not a date"
        if reason.startswith("use "):
            reason = "it is not in the form YYYY, YYYY-MM or YYYY-MM-DD"
        return (f"{label} must be a real date, like 2012-04-01, 2012-04 or 2012: "
                f"{value.strip()!r} is not ({reason})")
    return None


def field_errors(**fields: str | None) -> dict[str, str]:
    """The fields that have an error, in the order given, for the error summary."""
    return {k: v for k, v in fields.items() if v}


WAYS_BACK = (("/entities/", "Search for an organisation or person", "/search"),
             ("/rules", "All governance rules", "/rules"),
             ("/landscape", "The landscape today", "/landscape"),
             ("/conflicts", "All conflicting facts", "/conflicts"),
             ("/sources/", "Search documents", "/search"),
             ("/documents/", "Search documents", "/search"),
             ("/api/docs", "API documentation", "/api/docs"))


def way_back(path: str) -> tuple[str, str]:
    """Where a page that could not be shown sends the reader: the list or search the
    address belongs to, else the home page."""
    for prefix, label, href in WAYS_BACK:
        if path.startswith(prefix) and path != href:
            return label, href
    return "Go to the home page", "/"
