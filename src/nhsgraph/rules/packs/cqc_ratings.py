"""CQC ratings: the scale, NHS aggregation principles, limiters, the trust-level well-led
rating, and the single assessment framework's scores (2014 onwards)."""

from __future__ import annotations

import datetime as dt

from nhsgraph.model.predicates import KEY_QUESTIONS, RATING_VALUES
from nhsgraph.rules.evidence import as_day, attr, decisions_about, figures, kind, starts
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule

PACK = "cqc_ratings"
RATED = ("nhs_trust", "foundation_trust", "provider_other", "gp_practice")
FIVE = ("safe", "effective", "caring", "responsive", "well-led")
ORDER = {"inadequate": 0, "requires improvement": 1, "good": 2, "outstanding": 3}
SAF_SWITCH = dt.date(2024, 3, 1)


def current(snap, org, level: str | None = None) -> dict[str, object]:
    """The latest rating per key question on the date (by publication, then start)."""
    out = {}
    for f in snap.entity(org).of("rating"):
        if level and f.qualifiers.get("level", level) != level:
            continue
        kq = attr(f, "key_question")
        key = (as_day(attr(f, "published")) or starts(f) or dt.date.min, f.id)
        if kq not in out or key > out[kq][0]:
            out[kq] = (key, f)
    return {k: v[1] for k, v in out.items()}


@rule("CQC-SCALE", "Ratings use five key questions and four values",
      pack=PACK, applies_to=RATED, in_force=("2014-10-01", None), status="C",
      source="src:cqc-ratings-nhs-trusts",
      explanation="CQC rates five key questions (safe, effective, caring, responsive, well-led) "
                  "and overall on four values (outstanding, good, requires improvement, "
                  "inadequate): {reason}")
def scale(snap, org):
    rs = snap.entity(org).of("rating")
    if not rs:
        return Verdict(NOT_APPLICABLE, "no ratings are recorded.")
    bad = [f for f in rs if attr(f, "key_question") not in KEY_QUESTIONS
           or attr(f, "rating") not in RATING_VALUES]
    if bad:
        return Verdict(BREACH, f"{len(bad)} rating(s) fall outside the scale "
                               f"({bad[0].display_value()}).", bad)
    return Verdict(COMPLIES, f"{len(rs)} rating(s) on the scale.", rs)


def aggregate(values: list[str]) -> str | None:
    """NHS aggregation where the published thresholds are known; None where the count tables
    for 'requires improvement' and 'inadequate' were not retrieved."""
    n = len(values)
    outs = values.count("outstanding")
    if all(v in ("good", "outstanding") for v in values):
        need = 1 if n <= 3 else 2 if n <= 8 else 3
        return "outstanding" if outs >= need else "good"
    return None


@rule("CQC-AGG-NHS", "An NHS trust's overall rating follows from its key-question ratings",
      pack=PACK, applies_to=("nhs_trust", "foundation_trust"), in_force=("2014-10-01", None),
      status="P", source="src:cqc-ratings-principles-nhs-trusts",
      note="The count tables for 'requires improvement' and 'inadequate' were not retrieved; "
           "professional judgement may depart, so a mismatch is a warning.",
      explanation="Aggregating the five key-question ratings (weighed equally) gives the overall "
                  "rating: outstanding needs enough outstanding ratings and the rest good: {reason}")
def agg(snap, org):
    cur = current(snap, org)
    if "overall" not in cur or not all(k in cur for k in FIVE):
        return Verdict(INSUFFICIENT, "the overall rating and all five key-question ratings are "
                                     "not all recorded.", list(cur.values()))
    values = [attr(cur[k], "rating") for k in FIVE]
    facts = [cur[k] for k in FIVE + ("overall",)]
    want = aggregate(values)
    got = attr(cur["overall"], "rating")
    if want is None:
        return Verdict(INSUFFICIENT, "the aggregation table for these ratings was not retrieved.",
                       facts)
    if want != got:
        return Verdict(BREACH, f"the key questions aggregate to {want}, but {got} was published "
                               f"(professional judgement may explain it).", facts)
    return Verdict(COMPLIES, f"the key questions aggregate to the published {got}.", facts)


@rule("CQC-LIMITERS", "Enforcement notices limit the linked rating",
      pack=PACK, applies_to=RATED, in_force=("2014-10-01", None), status="C",
      source="src:cqc-ratings-principles-nhs-trusts", severity="warning",
      note="CQC says 'normally', so a departure is a warning.",
      explanation="A requirement notice normally caps the linked key question at requires "
                  "improvement; a warning notice or registration condition normally makes it "
                  "inadequate: {reason}")
def limiters(snap, org):
    notices = [f for f in decisions_about(snap, org)
               if kind(f) in ("requirement_notice", "warning_notice", "registration_condition")]
    if not notices:
        return Verdict(NOT_APPLICABLE, "no enforcement notices are recorded.")
    cur = current(snap, org)
    for n in notices:
        kq = attr(n, "key_question")
        r = cur.get(kq)
        if r is None:
            continue
        cap = "requires improvement" if kind(n) == "requirement_notice" else "inadequate"
        pub = as_day(attr(r, "published")) or starts(r)
        if pub and starts(n) and starts(n) > pub:
            continue
        if ORDER[attr(r, "rating")] > ORDER[cap]:
            return Verdict(BREACH, f"{kq} rated {attr(r, 'rating')} despite a "
                                   f"{kind(n).replace('_', ' ')}.", [n, r])
    return Verdict(COMPLIES, "the linked ratings respect the notices.", notices)


@rule("CQC-TRUST-WELLLED", "A trust-level rating changes only after a well-led assessment",
      pack=PACK, applies_to=("nhs_trust", "foundation_trust"), in_force=("2014-10-01", None),
      status="C", source="src:cqc-aggregated-ratings-nhs-trusts",
      explanation="The trust-level well-led rating comes from a separate trust-level assessment, "
                  "not aggregation, and trust-level ratings change only after a well-led "
                  "assessment: {reason}")
def trust_wellled(snap, org):
    cur = current(snap, org, "trust")
    changed = [f for f in cur.values() if attr(f, "previous") and attr(f, "previous") != attr(f, "rating")]
    if not changed:
        return Verdict(NOT_APPLICABLE, "no changed trust-level rating is recorded.")
    unassessed = [f for f in changed if not (attr(f, "inspected") or attr(f, "assessed"))]
    if unassessed:
        return Verdict(INSUFFICIENT, "the well-led assessment behind the change is not recorded.",
                       changed)
    f = changed[0]
    return Verdict(COMPLIES, f"{attr(f, 'key_question')} changed from {attr(f, 'previous')} to "
                             f"{attr(f, 'rating')} after an assessment "
                             f"({attr(f, 'inspected') or attr(f, 'assessed')}).", changed)


BANDS = ((88, "outstanding"), (63, "good"), (39, "requires improvement"), (25, "inadequate"))


def band(score: float) -> str | None:
    for floor, value in BANDS:
        if score >= floor:
            return value
    return None


@rule("CQC-SAF-SCORE", "Single assessment framework scores fall in the rating's band",
      pack=PACK, applies_to=RATED, in_force=("2023-11", None), status="P",
      source="src:cqc-la-how-we-determine-ratings",
      note="Bands confirmed for local-authority assessments; inferred for trust well-led.",
      explanation="Under the single assessment framework a key question's percentage score "
                  "maps to its rating: 25-38% inadequate, 39-62% requires improvement, 63-87% "
                  "good, 88% or more outstanding: {reason}")
def saf_score(snap, org):
    scores = figures(snap, org, "score")
    if not scores:
        return Verdict(NOT_APPLICABLE, "no assessment score is recorded.")
    cur = current(snap, org)
    f = scores[-1]
    measure = str(f.value["measure"]).lower()
    kq = next((k for k in FIVE if k in measure or k.replace("-", " ") in measure), "well-led")
    value = float(f.value["value"])
    if str(f.value.get("unit", "")).lower() not in ("%", "percent", "per cent") and value <= 1:
        value *= 100
    r = cur.get(kq)
    if r is None:
        return Verdict(INSUFFICIENT, f"no {kq} rating is recorded for the {value:g}% score.", [f])
    want = band(value)
    if want != attr(r, "rating"):
        return Verdict(BREACH, f"{value:g}% falls in the {want} band, but {kq} is rated "
                               f"{attr(r, 'rating')}.", [f, r])
    return Verdict(COMPLIES, f"{value:g}% falls in the {want} band, as rated for {kq}.", [f, r])


@rule("CQC-TRUST-SINGLE-RATING", "From March 2024 trust-level assessments rate well-led only",
      pack=PACK, applies_to=("nhs_trust", "foundation_trust"), in_force=("2024-03-01", None),
      status="C", source="src:cqc-well-led-2024",
      explanation="From 2024 a trust-level assessment rates only well-led, as a single trust "
                  "rating; no new overall trust rating is expected: {reason}")
def single_rating(snap, org):
    cur = current(snap, org)
    new = {k: f for k, f in cur.items()
           if (as_day(attr(f, "published")) or starts(f) or dt.date.min) >= SAF_SWITCH}
    if not new:
        return Verdict(NOT_APPLICABLE, "no rating published since March 2024 is recorded.")
    overall = new.get("overall")
    if overall is not None and overall.qualifiers.get("level", "trust") == "trust":
        return Verdict(BREACH, "a new overall trust rating was published after the switch.",
                       [overall])
    return Verdict(COMPLIES, f"ratings published since the switch: {', '.join(sorted(new))}.",
                   list(new.values()))
