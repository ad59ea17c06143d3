"""A deterministic, national-scale synthetic registry for the benchmarks.

The shape follows /work/shared/docs/ods.md section 7: health authorities (2000-2002) merging
into 28 SHAs, 28 -> 10 SHAs (2006) -> 4 SHA clusters (2011); ~300 PCTs -> 152 (2006) -> ~50
clusters (2011); 211 CCGs (2013) merging to 209, 207, 195, 191, 135, 106, then 42 ICBs and
106 sub-ICB locations (2022) with a few sub-ICB mergers (2024) and ICB clusters (2025);
380 trusts in 2000 falling to ~300 by 2025 through merges, splits, recodes, renames and FT
conversions (the real count fell further, to ~210-240: see RESULTS.md); ~11k GP practices
opening, closing and merging, each a member of its commissioner of the era; board posts
(chairs, chief executives, directors, NEDs...) turning over every 2-7 years; and a long
tail of small organisations (pharmacies, branch surgeries, dental and optical practices,
care homes) with names, codes, postcodes and their commissioner links.
``succeeded_by`` links chain PCT -> PCT -> CCG -> CCG -> CCG -> CCG -> SICBL -> SICBL.

Every statement has exactly one citation: a row of a synthetic dataset release
(``bench:<dataset>:<year>``, file ``<dataset>_<year>.csv``, running row number).
About 1% of small-organisation statements also have a superseded (retracted) copy and
about 0.5% a ``proposed`` rival name, so the "asserted, not retracted" filters matter.

Rows are produced in exactly the column forms the store's Writer writes on SQLite (dates
'YYYY-MM-DD', precision 1/2/3, JSON text with 'null' for no value/qualifiers, value_text and
value_key for text values). One deliberate difference, for speed: ``statement.key`` is a cheap
unique string (``bench:<statement id>``) instead of the SHA-1 of the statement's content.
The generator is driven by ``random.Random(seed)`` only, so a (scale, seed) pair always gives
the same registry.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import Callable

from nhsgraph.model.predicates import value_key

REC = "2026-01-01 00:00:00.000000"          # recorded_at of every statement
REC_OLD = "2025-06-01 00:00:00.000000"      # recorded_at of the superseded copies
CUT_ERA = {"pct1": "2006-10-01", "pct2": "2013-04-01", "ccg": "2022-07-01"}
D36 = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"   # code digits (no I, O)

_SYL1 = ["Ash", "Bar", "Bel", "Black", "Brad", "Bram", "Brent", "Bright", "Bur", "Cal", "Cam",
         "Car", "Ches", "Clay", "Col", "Craw", "Dar", "Der", "Don", "Dor", "Dud", "Eal", "East",
         "Elm", "Fal", "Farn", "Glou", "Graves", "Green", "Hal", "Ham", "Har", "Hart", "Has",
         "Here", "Hert", "Hud", "Ips", "Ken", "King", "Lan", "Lei", "Lin", "Lud", "Mal", "Man",
         "Mar", "Mid", "Mil", "New", "North", "Nor", "Old", "Ox", "Pen", "Peter", "Ply", "Pres",
         "Read", "Red", "Roch", "Rother", "Sal", "Scar", "Shef", "Shrews", "South", "Staf",
         "Stock", "Sun", "Sut", "Swin", "Tam", "Taun", "Tel", "Thorn", "Tor", "Wake", "Wal",
         "War", "Wat", "Wel", "West", "Wey", "Whit", "Wig", "Win", "Wol", "Wor", "York"]
_SYL2 = ["bury", "by", "caster", "chester", "don", "field", "ford", "gate", "ham", "hampton",
         "ing", "land", "ley", "mouth", "port", "shire", "stead", "stoke", "ton", "wich",
         "wick", "worth", "dale", "borough", "minster", "well", "brook", "hurst"]
_FIRST = ["Alan", "Alice", "Amir", "Anna", "Ben", "Carol", "Chris", "David", "Deborah", "Ellen",
          "Fatima", "Gary", "Grace", "Hannah", "Ian", "Jane", "John", "Karen", "Kevin", "Laura",
          "Mark", "Mary", "Mohammed", "Neil", "Nicola", "Olu", "Paul", "Priya", "Rachel",
          "Richard", "Sarah", "Simon", "Sophie", "Stephen", "Susan", "Tom", "Yvonne", "Zoe"]
_LAST = ["Adams", "Ahmed", "Baker", "Brown", "Clarke", "Davies", "Evans", "Green", "Hall",
         "Harris", "Hughes", "Jackson", "Jones", "Khan", "Lewis", "Martin", "Moore", "Patel",
         "Roberts", "Robinson", "Shah", "Smith", "Taylor", "Thomas", "Thompson", "Walker",
         "White", "Williams", "Wilson", "Wood", "Wright", "Young"]

ROLES = {
    "sha": ["chair", "chief_executive", "director_of_finance"] + ["non_executive_director"] * 3,
    "pct": ["chair", "chief_executive", "director_of_finance", "director_of_public_health",
            "pec_chair"] + ["non_executive_director"] * 3,
    "pct_cluster": ["chair", "chief_executive"],
    "ccg": ["chair", "accountable_officer", "chief_finance_officer", "lay_member", "lay_member",
            "registered_nurse_member", "secondary_care_doctor"],
    "icb": ["chair", "chief_executive", "chief_finance_officer", "medical_director",
            "nurse_director", "non_executive_director", "non_executive_director",
            "partner_member", "partner_member"],
    "trust": ["chair", "chief_executive", "director_of_finance", "medical_director",
              "nurse_director", "chief_operating_officer"] + ["non_executive_director"] * 5,
}

STATEMENT_COLS = ("id", "key", "subject_id", "predicate", "object_id", "value", "value_text",
                  "value_key", "valid_from", "valid_from_precision", "valid_to",
                  "valid_to_precision", "qualifiers", "status", "recorded_at", "retracted_at")
CITATION_COLS = ("statement_id", "source_id", "span_start", "span_end", "file", "row", "locator",
                 "locator_key", "quote", "method", "confidence", "recorded_at")
ENTITY_COLS = ("id", "kind", "label", "created_at")
SOURCE_COLS = ("id", "title", "publisher", "date", "url", "kind", "document", "sha256", "text",
               "meta", "recorded_at")

DATASETS = {"ods": "ODS organisation records", "rels": "ODS relationships",
            "succ": "ODS successions", "board": "Board membership returns",
            "epraccur": "GP practice records (epraccur)", "pharm": "Other organisation records"}


@dataclass
class Org:
    id: str
    type: str
    start: str | None
    end: str | None
    succ: list[str] = field(default_factory=list)   # successors (for merges), in order


def day(y: int, m: int = 4, d: int = 1) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


class Generator:
    """Emits entity, source, statement and citation rows to ``sink(table, rows)``."""

    def __init__(self, sink: Callable[[str, list[tuple]], None], *, scale: float = 1.0,
                 seed: int = 1, chunk: int = 100_000):
        self.sink = sink
        self.scale = scale
        self.rng = random.Random(seed)
        self.chunk = chunk
        self.st: list[tuple] = []
        self.ci: list[tuple] = []
        self.ent: list[tuple] = []
        self.sid = 0
        self.rows: dict[str, int] = {}
        self.sources: dict[str, tuple] = {}
        self.codes: dict[str, int] = {}
        self.orgs: dict[str, Org] = {}
        self.people: list[str] = []
        self.n_orgs = 0
        self.n_people = 0
        self.lineage_roots: list[str] = []
        self._vk: dict[str, str] = {}

    # -- low-level emitters ---------------------------------------------------------
    def code(self, prefix: str, width: int) -> str:
        n = self.codes.get(prefix, 0)
        self.codes[prefix] = n + 1
        out = ""
        for _ in range(width):
            n, r = divmod(n, len(D36))
            out = D36[r] + out
        if n:
            raise ValueError(f"code space {prefix}/{width} exhausted")
        return prefix + out

    def entity(self, id: str, kind: str) -> None:
        self.ent.append((id, kind, None, REC))
        if len(self.ent) >= self.chunk:
            self.sink("entity", self.ent)
            self.ent = []

    def statement(self, subject: str, predicate: str, obj: str | None = None, value=None,
                  vf: str | None = None, vt: str | None = None, quals: dict | None = None,
                  ds: str = "ods", status: str = "asserted", retracted: bool = False,
                  vfp: int = 3, vtp: int = 3) -> int:
        if vf is not None and vt is not None and vt < vf:
            vt = vf
        self.sid += 1
        sid = self.sid
        if isinstance(value, str):
            vk = self._vk.get(value)
            if vk is None:
                vk = value_key(value)
                if len(self._vk) < 1000:
                    self._vk[value] = vk
            vjson, vtext = json.dumps(value), value
        else:
            vjson, vtext, vk = "null", None, None
        self.st.append((sid, f"bench:{sid}", subject, predicate, obj, vjson, vtext, vk,
                        vf, vfp if vf else None, vt, vtp if vt else None,
                        json.dumps(quals) if quals else "null", status,
                        REC_OLD if retracted else REC, REC if retracted else None))
        year = int(vf[:4]) if vf and vf >= "2000" else 2000
        src = f"bench:{ds}:{year}"
        if src not in self.sources:
            self.sources[src] = (src, f"{DATASETS[ds]} {year}", "Synthetic benchmark data",
                                 str(year), None, "dataset", f"{ds}_{year}.csv", None, None,
                                 "null", REC)
        row = self.rows[src] = self.rows.get(src, 0) + 1
        file = f"{ds}_{year}.csv"
        self.ci.append((sid, src, None, None, file, row, None, f"row:{file}:{row}", None,
                        "dataset", None, REC))
        if len(self.st) >= self.chunk:
            self.flush_statements()
        return sid

    def flush_statements(self) -> None:
        if self.ent:
            self.sink("entity", self.ent)
            self.ent = []
        if self.st:
            self.sink("statement", self.st)
            self.sink("citation", self.ci)
            self.st, self.ci = [], []

    def finish(self) -> None:
        self.flush_statements()
        self.sink("source", list(self.sources.values()))

    # -- helpers --------------------------------------------------------------------
    def rand_day(self, a: str, b: str) -> str:
        lo = dt.date.fromisoformat(a).toordinal()
        hi = dt.date.fromisoformat(b).toordinal()
        return dt.date.fromordinal(self.rng.randint(lo, max(lo, hi - 1))).isoformat()

    def place(self) -> str:
        return self.rng.choice(_SYL1) + self.rng.choice(_SYL2)

    def org(self, code: str, type: str, name: str, start: str | None, end: str | None,
            ds: str = "ods", defer: bool = False) -> Org:
        """An organisation with its name, type and code; ``defer`` when its end is not yet known
        (commissioners that later merge): then ``core(o)`` writes those facts."""
        oid = "ods:" + code
        self.entity(oid, "organisation")
        self.n_orgs += 1
        o = self.orgs[oid] = Org(oid, type, start, end)
        o.label, o.ds = name, ds
        if not defer:
            self.core(o)
        return o

    def core(self, o: Org) -> None:
        self.statement(o.id, "name", value=o.label, vf=o.start, vt=o.end, ds=o.ds)
        self.statement(o.id, "org_type", value=o.type, vf=o.start, vt=o.end, ds=o.ds)
        self.statement(o.id, "ods_code", value=o.id[4:], vf=o.start, vt=o.end, ds=o.ds)

    def link(self, subject: str, predicate: str, obj: str, vf, vt, ds="rels", quals=None):
        if vf is not None and vt is not None and vt <= vf:
            return
        self.statement(subject, predicate, obj, vf=vf, vt=vt, ds=ds, quals=quals)

    def succeed(self, old: Org, new: Org, when: str, change: str) -> None:
        self.statement(old.id, "succeeded_by", new.id, vf=when, quals={"change": change}, ds="succ")
        old.succ.append(new.id)

    def board(self, o: Org, kind: str) -> None:
        rng = self.rng
        start = o.start or "2000-04-01"
        end = o.end or "2026-01-01"
        for role in ROLES[kind]:
            t = start
            while t < end:
                years = rng.uniform(2, 7)
                t_end = (dt.date.fromisoformat(t) + dt.timedelta(days=int(years * 365))).isoformat()
                t_end = min(t_end, end)
                if self.people and rng.random() < 0.25:
                    person = rng.choice(self.people[-400:])
                else:
                    self.n_people += 1
                    person = f"person:{self.n_people}"
                    self.entity(person, "person")
                    self.statement(person, "name", value=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                                   ds="board")
                    self.people.append(person)
                yearly = rng.random() < 0.05
                self.statement(person, "post", o.id, vf=t[:4] + "-01-01" if yearly else t,
                               vfp=1 if yearly else 3,
                               vt=None if t_end >= "2026-01-01" else t_end,
                               quals={"role": role}, ds="board")
                t = t_end

    def at(self, o: Org, when: str) -> Org:
        """The body that ``o``'s merge chain leads to on ``when``."""
        while o.end is not None and o.end <= when and o.succ:
            o = self.orgs[o.succ[0]]
        return o

    def segments(self, o: Org, start: str, end: str):
        """[(org, from, to)] following ``o``'s merge chain across [start, end)."""
        out = []
        t = start
        o = self.at(o, t)
        while t < end:
            seg_end = min(end, o.end) if o.end else end
            if seg_end > t:
                out.append((o, t, seg_end))
            if not o.succ or o.end is None:
                break
            t = seg_end
            o = self.orgs[o.succ[0]]
        return out

    # -- the registry ---------------------------------------------------------------
    def run(self) -> None:
        rng = self.rng
        G = 42
        dh = self.org("DH", "government_department", "Department of Health", "2000-01-01", None)
        self.statement(dh.id, "name", value="Department of Health and Social Care",
                       vf="2018-01-09")
        nhse = self.org("X24", "national_body", "NHS England", "2013-04-01", None)

        # Health authorities -> 28 SHAs -> 10 SHAs -> 4 SHA clusters -> regions.
        has = [self.org(self.code("H", 2), "other", f"{self.place()} Health Authority",
                        "2000-04-01", "2002-07-01") for _ in range(95)]
        sha28 = [self.org(self.code("Q", 2), "sha", f"{self.place()} Strategic Health Authority",
                          "2002-07-01", "2006-07-01") for _ in range(28)]
        sha10 = [self.org(self.code("Q", 2), "sha", f"NHS {self.place()}",
                          "2006-07-01", "2013-04-01") for _ in range(10)]
        shac = [self.org(self.code("J", 1), "other", f"NHS {n} SHA cluster", "2011-10-01",
                         "2013-04-01") for n in ("North of England", "Midlands and East",
                                                 "London", "South")]
        cregion = [self.org(self.code("Y", 2), "commissioning_region", f"{n} Commissioning Region",
                            "2013-04-01", "2019-04-01")
                   for n in ("North", "Midlands and East", "London", "South")]
        nregion = [self.org(self.code("Y", 2), "nhse_region", f"NHS England {n}", "2019-04-01", None)
                   for n in ("North East and Yorkshire", "North West", "Midlands", "East of England",
                             "London", "South East", "South West")]
        g_ha = lambda g: has[min(94, g * 95 // G)]            # noqa: E731
        g28 = lambda g: sha28[g * 28 // G]                    # noqa: E731
        g10 = lambda g: sha10[g * 10 // G]                    # noqa: E731
        g4 = lambda g: cregion[g * 4 // G]                    # noqa: E731
        g7 = lambda g: nregion[g * 7 // G]                    # noqa: E731
        for h, o in enumerate(has):
            self.link(o.id, "accountable_to", dh.id, o.start, o.end)
            self.succeed(o, g28(h * G // 95), "2002-07-01", "merge")
        for i, o in enumerate(sha28):
            self.link(o.id, "accountable_to", dh.id, o.start, o.end)
            self.succeed(o, sha10[i * 10 // 28], "2006-07-01", "merge")
            self.board(o, "sha")
        for i, o in enumerate(sha10):
            self.link(o.id, "accountable_to", dh.id, o.start, o.end)
            self.link(o.id, "member_of", shac[i * 4 // 10].id, "2011-10-01", "2013-04-01")
            self.board(o, "sha")
        for i, o in enumerate(shac):
            self.succeed(o, cregion[i], "2013-04-01", "transfer")
        for i, o in enumerate(cregion):
            self.link(o.id, "accountable_to", nhse.id, o.start, o.end)
            for j, n in enumerate(nregion):
                if j * 4 // 7 == i:
                    self.succeed(o, n, "2019-04-01", "split")
        for o in nregion:
            self.link(o.id, "accountable_to", nhse.id, o.start, o.end)
        # Area teams (2013-2015) -> local offices (2015-2019).
        ateams = [self.org(self.code("A", 2), "area_team", f"{self.place()} Area Team",
                           "2013-04-01", "2015-04-01") for _ in range(25)]
        loffices = [self.org(self.code("L", 2), "local_office",
                             f"NHS England {self.place()} local office", "2015-04-01",
                             "2019-04-01") for _ in range(15)]
        for i, o in enumerate(ateams):
            self.link(o.id, "accountable_to", cregion[i * 4 // 25].id, o.start, o.end)
            self.succeed(o, loffices[i * 15 // 25], "2015-04-01", "merge")
        for i, o in enumerate(loffices):
            self.link(o.id, "accountable_to", cregion[i * 4 // 15].id, o.start, o.end)

        # PCTs: 302 (2000-2002 waves) -> 152 (2006) -> 52 clusters (2011) -> CCGs (2013).
        pct1 = []
        for p in range(302):
            g = p * G // 302
            start = rng.choice(["2000-04-01", "2001-04-01", "2002-04-01", "2002-04-01"])
            o = self.org(self.code("5", 2), "pct", f"{self.place()} Primary Care Trust",
                         start, "2006-10-01")
            if start < "2002-07-01":
                self.link(o.id, "accountable_to", g_ha(g).id, start, "2002-07-01")
            self.link(o.id, "accountable_to", g28(g).id, max(start, "2002-07-01"), "2006-07-01")
            self.link(o.id, "accountable_to", g10(g).id, "2006-07-01", "2006-10-01")
            self.board(o, "pct")
            pct1.append(o)
        pct2 = []
        for q in range(152):
            g = q * G // 152
            o = self.org(self.code("5", 2), "pct", f"NHS {self.place()}", "2006-10-01",
                         "2013-04-01")
            self.link(o.id, "accountable_to", g10(g).id, o.start, o.end)
            if rng.random() < 0.05:
                self.statement(o.id, "name", value=f"NHS {self.place()} and {self.place()}",
                               vf="2010-04-01", vt="2013-04-01")
            self.board(o, "pct")
            pct2.append(o)
        groups: dict[int, list[Org]] = {}
        for p, o in enumerate(pct1):
            groups.setdefault(p * 152 // 302, []).append(o)
        for q, olds in groups.items():
            for o in olds:
                self.succeed(o, pct2[q], "2006-10-01", "merge" if len(olds) > 1 else "recode")
        clusters = []
        for k in range(52):
            g = k * G // 52
            o = self.org(self.code("K", 2), "pct_cluster", f"NHS {self.place()} cluster",
                         "2011-06-01", "2013-04-01")
            self.link(o.id, "accountable_to", g10(g).id, o.start, o.end)
            self.board(o, "pct_cluster")
            clusters.append(o)
        for q, o in enumerate(pct2):
            self.link(o.id, "member_of", clusters[q * 52 // 152].id, "2011-06-01", "2013-04-01")

        # CCGs: 211 (2013) merging within their ICS footprint in waves.
        ccg0, ccg_g = [], {}
        for c in range(211):
            o = self.org(self.code("0", 2), "ccg", f"NHS {self.place()} CCG", "2013-04-01", None,
                         defer=True)
            ccg0.append(o)
            ccg_g[o.id] = c * G // 211
        pct_kids: dict[int, list[Org]] = {}
        for c, o in enumerate(ccg0):
            pct_kids.setdefault(c * 152 // 211, []).append(o)
        for q, o in enumerate(pct2):
            kids = pct_kids.get(q, [])
            for k in kids:
                self.succeed(o, k, "2013-04-01", "split" if len(kids) > 1 else "transfer")
        alive = {g: [] for g in range(G)}
        for o in ccg0:
            alive[ccg_g[o.id]].append(o)
        all_ccgs = list(ccg0)
        for year, target in ((2015, 209), (2017, 207), (2018, 195), (2019, 191), (2020, 135),
                             (2021, 106)):
            when = day(year)
            count = sum(len(v) for v in alive.values())
            while count > target:
                g = rng.choice([g for g, v in alive.items() if len(v) >= 2])
                k = min(len(alive[g]), count - target + 1, rng.choice([2, 2, 3, 3, 4, 5]))
                olds = rng.sample(alive[g], k)
                new = self.org(self.code("0", 2), "ccg", f"NHS {self.place()} CCG", when, None,
                               defer=True)
                ccg_g[new.id] = g
                for o in olds:
                    o.end = when
                    alive[g].remove(o)
                    self.succeed(o, new, when, "merge")
                alive[g].append(new)
                all_ccgs.append(new)
                count -= k - 1
        # ICBs, STPs, SICBLs.
        stps = []
        stp_of_g: dict[int, list[Org]] = {}
        for g in range(G):
            n = 2 if g in (0, 1) else 1
            for _ in range(n):
                o = self.org(self.code("S", 2), "stp", f"{self.place()} Health and Care Partnership",
                             "2017-04-01", "2022-07-01", defer=True)
                stps.append(o)
                stp_of_g.setdefault(g, []).append(o)
        for g in (0, 1):
            olds = stp_of_g[g]
            new = self.org(self.code("S", 2), "stp", f"{self.place()} Health and Care Partnership",
                           "2018-08-01", "2022-07-01", defer=True)
            stps.append(new)
            for o in olds:
                o.end = "2018-08-01"
                self.succeed(o, new, "2018-08-01", "merge")
            stp_of_g[g] = [new]
        icbs = []
        for g in range(G):
            o = self.org(self.code("I", 2), "icb", f"NHS {self.place()} Integrated Care Board",
                         "2022-07-01", None)
            self.link(o.id, "accountable_to", g7(g).id, o.start, None)
            self.board(o, "icb")
            icbs.append(o)
            for s in stp_of_g[g]:
                self.succeed(s, o, "2022-07-01", "transfer")
        icb_clusters = [self.org(self.code("C", 2), "other", f"{self.place()} ICB cluster",
                                 "2025-09-09", None) for _ in range(26)]
        for g, o in enumerate(icbs):
            self.link(o.id, "member_of", icb_clusters[g * 26 // G].id, "2025-09-09", None)
        sicbls, all_sicbls = {}, []
        live_ccgs = [o for v in alive.values() for o in v]
        for o in live_ccgs:
            o.end = "2022-07-01"
            s = self.org(self.code("1", 2), "sub_icb_location",
                         o.label.replace(" CCG", "") + " sub-ICB location", "2022-07-01", None,
                         defer=True)
            self.succeed(o, s, "2022-07-01", "rename")
            self.succeed(o, icbs[ccg_g[o.id]], "2022-07-01", "transfer")
            o.succ = [s.id]  # practices follow the CCG into its sub-ICB location
            self.link(s.id, "accountable_to", icbs[ccg_g[o.id]].id, s.start, None)
            sicbls[o.id] = s
            all_sicbls.append(s)
            ccg_g[s.id] = ccg_g[o.id]
        by_g: dict[int, list[Org]] = {}
        for s in sicbls.values():
            by_g.setdefault(ccg_g[s.id], []).append(s)
        for g, ss in sorted(by_g.items()):
            if len(ss) >= 3 and rng.random() < 0.2:
                olds = rng.sample(ss, 2)
                new = self.org(self.code("1", 2), "sub_icb_location",
                               f"NHS {self.place()} sub-ICB location", "2024-04-01", None,
                               defer=True)
                all_sicbls.append(new)
                ccg_g[new.id] = g
                self.link(new.id, "accountable_to", icbs[g].id, new.start, None)
                for o in olds:
                    o.end = "2024-04-01"
                    self.succeed(o, new, "2024-04-01", "merge")
        # CCG-era facts that depend on each CCG's (now known) end date.
        for o in all_ccgs:
            g = ccg_g[o.id]
            self.core(o)
            for bodies, a, b in ((ateams, "2013-04-01", "2015-04-01"),
                                 (loffices, "2015-04-01", "2019-04-01")):
                self.link(o.id, "accountable_to", bodies[g * len(bodies) // G].id,
                          max(a, o.start), min(b, o.end))
            self.link(o.id, "accountable_to", g7(g).id, max("2019-04-01", o.start), o.end)
            for s in stp_of_g.get(g, []) + [x for x in stps if x.end == "2018-08-01"
                                             and x.succ and x.succ[0] in
                                             [y.id for y in stp_of_g.get(g, [])]]:
                self.link(o.id, "member_of", s.id, max(s.start, o.start), min(s.end, o.end))
            if rng.random() < 0.1:
                mid = self.rand_day(o.start, o.end)
                self.statement(o.id, "name", value=f"NHS {self.place()} CCG", vf=mid, vt=o.end)
            self.board(o, "ccg")
        for o in stps + all_sicbls:
            self.core(o)

        # Trusts: ~380 in 2000, merging, splitting, recoding, renaming, converting to FTs.
        trusts: list[Org] = []
        tg: dict[str, int] = {}
        names: dict[str, str] = {}

        def new_trust(when, g=None, ft=False):
            nm = f"{self.place()} {rng.choice(['Hospitals', 'Healthcare', 'Community Health', 'Mental Health', 'Teaching Hospitals', 'Ambulance Service'])}"
            o = Org("ods:" + self.code("R", 2), "foundation_trust" if ft else "nhs_trust", when, None)
            self.orgs[o.id] = o
            self.entity(o.id, "organisation")
            self.n_orgs += 1
            names[o.id] = nm
            o.kinds = [(o.type, when)]          # type changes: (type, from)
            o.names = [(nm + (" NHS Foundation Trust" if ft else " NHS Trust"), when)]
            tg[o.id] = g if g is not None else rng.randrange(G)
            trusts.append(o)
            return o

        for _ in range(380):
            new_trust("2000-04-01")
        for year in range(2001, 2026):
            live = [o for o in trusts if o.end is None]
            when = day(year)
            for _ in range(rng.randint(2, 7) if year < 2020 else rng.randint(0, 3)):
                g = rng.randrange(G)
                cands = [o for o in live if tg[o.id] == g] or live
                olds = rng.sample(cands, min(len(cands), rng.choice([2, 2, 2, 3])))
                ft = any(o.type == "foundation_trust" for o in olds)
                new = new_trust(when, tg[olds[0].id], ft)
                for o in olds:
                    o.end = when
                    live.remove(o)
                    self.succeed(o, new, when, "merge")
            for _ in range(rng.choice([0, 0, 1])):
                o = rng.choice(live)
                o.end = when
                live.remove(o)
                for _k in range(2):
                    self.succeed(o, new_trust(when, tg[o.id]), when, "split")
            for _ in range(rng.randint(0, 3)):
                o = rng.choice(live)
                o.end = when
                live.remove(o)
                new = new_trust(when, tg[o.id], o.type == "foundation_trust")
                self.succeed(o, new, when, "rename")
            if rng.random() < 0.3:
                new_trust(when)
            if 2004 <= year:
                for o in rng.sample(live, min(len(live), rng.randint(6, 14) if year < 2013
                                              else rng.randint(0, 3))):
                    if o.type == "nhs_trust" and o.start < when:
                        o.type = "foundation_trust"
                        conv = self.rand_day(when, day(year + 1))
                        o.kinds.append(("foundation_trust", conv))
                        o.names.append((names[o.id] + " NHS Foundation Trust", conv))
            for o in rng.sample(live, min(len(live), 3)):
                if o.names[-1][1] < when:
                    o.names.append((f"{self.place()} {names[o.id].split(' ', 1)[1]}"
                                    + (" NHS Foundation Trust" if o.type == "foundation_trust"
                                       else " NHS Trust"), self.rand_day(when, day(year + 1))))
        for o in trusts:
            code = o.id[4:]
            for seq, pred in ((o.names, "name"), (o.kinds, "org_type")):
                for i, (val, since) in enumerate(seq):
                    until = seq[i + 1][1] if i + 1 < len(seq) else o.end
                    self.statement(o.id, pred, value=val, vf=since, vt=until)
            self.statement(o.id, "ods_code", value=code, vf=o.start, vt=o.end)
            g = tg[o.id]
            self.link(o.id, "accountable_to", g28(g).id, max(o.start, "2002-07-01"),
                      min(o.end or "9999", "2006-07-01"))
            self.link(o.id, "accountable_to", g10(g).id, max(o.start, "2006-07-01"),
                      min(o.end or "9999", "2013-04-01"))
            self.link(o.id, "accountable_to", g4(g).id, max(o.start, "2013-04-01"),
                      min(o.end or "9999", "2019-04-01"))
            if (o.end or "9999") > "2019-04-01":
                self.link(o.id, "accountable_to", g7(g).id, max(o.start, "2019-04-01"), o.end)
            for s in stp_of_g[g]:
                self.link(o.id, "member_of", s.id, max(o.start, s.start),
                          min(o.end or "9999", s.end))
            if (o.end or "9999") > "2022-07-01":
                self.link(o.id, "member_of", icbs[g].id, max(o.start, "2022-07-01"), o.end)
            self.board(o, "trust")

        # Commissioner of a locality (PCT302 index) on each era.
        def commissioner_segments(p: int, s: str, e: str):
            out = []
            o1 = pct1[p]
            a, b = max(s, o1.start), min(e, "2006-10-01")
            if a < b:
                out.append((o1, a, b))
            q = p * 152 // 302
            a, b = max(s, "2006-10-01"), min(e, "2013-04-01")
            if a < b:
                out.append((pct2[q], a, b))
            kids = pct_kids.get(q) or [ccg0[min(210, q * 211 // 152)]]
            c = kids[p % len(kids)]
            a = max(s, "2013-04-01")
            if a < e:
                out += self.segments(c, a, e)
            return out

        # GP practices: ~11k at any time, opening, closing and merging.
        n_prac = int(11_000 * min(1.0, max(self.scale, 0.02)))
        practices = []
        for i in range(int(n_prac * 1.35)):
            start = "1990-01-01" if i < n_prac else self.rand_day("2000-04-01", "2025-01-01")
            end = None
            if rng.random() < 0.26:
                end = self.rand_day(max(start, "2000-06-01"), "2025-06-01")
            p = rng.randrange(302)
            code = self.code("G", 4)
            o = self.org(code, "gp_practice",
                         f"The {self.place()} {rng.choice(['Surgery', 'Medical Centre', 'Practice', 'Health Centre'])}",
                         start if start > "1990-01-01" else None, end, ds="epraccur")
            o.start = start
            self.statement(o.id, "postcode", value=self._postcode(), vf=o.start if start > "1990-01-01" else None,
                           vt=end, ds="epraccur")
            for body, a, b in commissioner_segments(p, max(start, "2000-04-01"), end or "9999-12-31"):
                self.link(o.id, "member_of", body.id, a, None if b.startswith("9999") else b,
                          ds="epraccur")
            if rng.random() < 0.1:
                mid = self.rand_day(max(start, "2000-04-01"), end or "2025-06-01")
                if end is None or mid < end:
                    self.statement(o.id, "name", value=f"{self.place()} Group Practice", vf=mid,
                                   vt=end, ds="epraccur")
            practices.append(o)
        for o in practices:
            if o.end and rng.random() < 0.5:
                cands = [x for x in rng.sample(practices, 8) if x is not o and
                         (x.start < o.end) and (x.end is None or x.end > o.end)]
                if cands:
                    self.succeed(o, cands[0], o.end, "merge")

        # The long tail: pharmacies, branch surgeries, dental, optical, care homes.
        n_other = int(270_000 * self.scale)
        kinds = [("F", 4, "other", "Pharmacy"), ("B", 4, "gp_practice", "Branch Surgery"),
                 ("V", 4, "provider_other", "Dental Practice"), ("T", 4, "other", "Opticians"),
                 ("N", 4, "provider_other", "Care Home")]
        weights = [40, 20, 20, 10, 10]
        for i in range(n_other):
            prefix, width, otype, label = rng.choices(kinds, weights)[0]
            y = rng.randint(1985, 2024)
            start = f"{y:04d}-{rng.randint(1, 12):02d}-01"
            end = None
            if rng.random() < 0.4:
                end_y = min(2025, y + 1 + int(rng.expovariate(1 / 9)))
                end = f"{end_y:04d}-{rng.randint(1, 12):02d}-01"
                if end <= start:
                    end = None
            code = self.code(prefix, width)
            oid = "ods:" + code
            self.entity(oid, "organisation")
            self.n_orgs += 1
            nm = f"{self.place()} {label}"
            vf = start if start >= "2000-01-01" else None
            retract = rng.random() < 0.05
            if retract:   # a superseded misspelling, kept for "as known at" questions
                self.statement(oid, "name", value=nm.upper(), vf=vf, vt=end, ds="pharm",
                               retracted=True)
            if rng.random() < 0.15:
                mid = f"{rng.randint(max(y, 2000) + 1, 2025):04d}-{rng.randint(1, 12):02d}-01"
                if (end is None or mid < end) and (vf is None or mid > vf):
                    self.statement(oid, "name", value=nm, vf=vf, vt=mid, ds="pharm")
                    nm = f"{self.place()} {label}"
                    self.statement(oid, "name", value=nm, vf=mid, vt=end, ds="pharm")
                else:
                    self.statement(oid, "name", value=nm, vf=vf, vt=end, ds="pharm")
            else:
                self.statement(oid, "name", value=nm, vf=vf, vt=end, ds="pharm")
            if rng.random() < 0.03:
                self.statement(oid, "name", value=f"{self.place()} {label}", vf=vf, vt=end,
                               ds="pharm", status="proposed")
            self.statement(oid, "org_type", value=otype, vf=vf, vt=end, ds="pharm")
            self.statement(oid, "ods_code", value=code, vf=vf, vt=end, ds="pharm")
            self.statement(oid, "postcode", value=self._postcode(), vf=vf, vt=end, ds="pharm")
            if prefix == "B" and practices:
                main = practices[i % len(practices)]
                self.link(oid, "member_of", main.id, vf, end, ds="pharm")
            else:
                p = rng.randrange(302)
                for body, a, b in commissioner_segments(p, max(start, "2000-04-01"),
                                                        end or "9999-12-31"):
                    self.link(oid, "accountable_to", body.id, a,
                              None if b.startswith("9999") else b, ds="pharm")
        self.finish()

    # -- small pieces ---------------------------------------------------------------
    def _postcode(self) -> str:
        r = self.rng
        return (f"{r.choice('ABCDEFGHLMNPRSTWY')}{r.choice('ABCDEFGHLMNPRSTWY')}{r.randint(1, 40)} "
                f"{r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}")
