"""Load on the server: requests/s and p50/p95 latency of the organisation-as-at endpoint
(``GET /api/entities/{id}?at=``) at 1, 20 and 50 concurrent clients, beside the same call
made in Python (``services.views.entity_data`` + the JSON encoding) in the same run, with
the ratio per core and how busy the machine was.

Bounded and local: the server is started on 127.0.0.1 on a free port (``nhsgraph serve
--workers N``), each level runs for ``--seconds`` or ``--max-requests``, whichever comes
first, and the server is stopped at the end whatever happens.

The load generator is one thread driving raw non-blocking sockets through ``selectors``
(keep-alive HTTP/1.1, one request in flight per connection, no HTTP library), so that it
takes as little as possible of the cores it shares with the server; its own CPU time is
measured and reported per request.

What is measured, per level:
- wall: requests/s and p50/p95 latency, as a client sees them;
- CPU: the server's processes' CPU seconds (``/proc``, the server and its workers), the
  load generator's, and the whole machine's busy cores (``/proc/stat``); what is left is
  other people's work on the same machine;
- the 1-minute load average before and after.
The ratio the aim is about is the server's requests/s per core it can use (min(workers,
cores)) over the in-process calls/s; the CPU ratio is requests per server CPU-second over
in-process calls per CPU-second, which a shared machine disturbs far less. With more than
one worker the in-process calls are also made in as many processes at once, one a core
("all cores busy"): a core does less when its neighbours are busy too (shared caches,
memory and kernel), and the workers run under those conditions; both ratios are shown.

The answers are computed, not served from the answer cache, unless ``--cache on``: with
the cache each organisation is computed once and then only looked up, in both places, so
the ratio would compare the HTTP stack with a dictionary look-up (``--cache both`` runs
both, the cached run shows what a repeated question costs).

    PYTHONPATH=src python benchmarks/serve_load.py --db /tmp/real.db
    PYTHONPATH=src python benchmarks/serve_load.py --db /tmp/real.db \\
        --db postgresql://postgres:postgres@localhost:5432/nhsgraph_bench --workers 1,2

Each ``--db`` must already hold a registry (e.g. ``nhsgraph --db X demo --official
../shared/data/real --no-serve``).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import random
import re
import selectors
import socket
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nhsgraph.services.cache import CACHE_ENV  # noqa: E402
from nhsgraph.store import Store  # noqa: E402

_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.I)
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def sample_requests(store: Store, n: int, seed: int = 18) -> list[tuple[str, str]]:
    """(organisation id, date) pairs: organisations with an ODS name, each asked about on a
    day inside its first name's time (or a fixed day when the name is undated)."""
    with store.reader() as conn:
        rows = conn.execute(sa.text(
            "SELECT subject_id, min(valid_from) FROM statement WHERE predicate = 'name' "
            "AND retracted_at IS NULL AND subject_id LIKE 'ods:%' GROUP BY subject_id "
            "ORDER BY subject_id")).all()
    rnd = random.Random(seed)
    rows = rnd.sample(rows, min(n, len(rows)))
    return [(sid, str(vf)[:10] if vf else "2015-06-01") for sid, vf in rows]


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


# -- CPU accounting -----------------------------------------------------------------------
def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants alive
    now (uvicorn's workers are the server's children)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICK
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(k) for k in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_busy() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine so far, wall time): /proc/stat's first line."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return (sum(f[:8]) - idle) / _TICK, time.monotonic()


class Usage:
    """CPU used between ``start()`` and ``stop()``: by this process, the server's tree and
    the whole machine."""

    def __init__(self, server_pid: int | None = None):
        self.pid = server_pid

    def __enter__(self):
        self.own0, self.srv0 = time.process_time(), tree_cpu(self.pid) if self.pid else 0.0
        self.busy0, self.t0 = machine_busy()
        self.load0 = os.getloadavg()[0]
        return self

    def __exit__(self, *exc):
        self.own = time.process_time() - self.own0
        self.server = (tree_cpu(self.pid) - self.srv0) if self.pid else 0.0
        busy1, t1 = machine_busy()
        self.wall = t1 - self.t0
        self.busy_cores = (busy1 - self.busy0) / self.wall if self.wall else 0.0
        self.load1 = os.getloadavg()[0]

    def figures(self) -> dict:
        others = self.busy_cores - (self.own + self.server) / self.wall if self.wall else 0.0
        return {"client_cpu_s": round(self.own, 3), "server_cpu_s": round(self.server, 3),
                "machine_busy_cores": round(self.busy_cores, 2),
                "others_busy_cores": round(max(0.0, others), 2),
                "loadavg_1m": [round(self.load0, 2), round(self.load1, 2)]}


# -- the call in this process -------------------------------------------------------------
def in_process(store: Store, reqs, seconds: float, max_calls: int) -> dict:
    """The same answer computed in this process, one call after another on one connection."""
    from nhsgraph.asgi.http import dumps
    from nhsgraph.services.views import entity_data

    lat = []
    with store.reader() as conn:
        for sid, day in reqs[:20]:                      # warm the caches, as the server is
            dumps(entity_data(conn, sid, day))
        stop = time.perf_counter() + seconds
        with Usage() as use:
            i = 0
            while time.perf_counter() < stop and i < max_calls:
                sid, day = reqs[i % len(reqs)]
                t = time.perf_counter()
                dumps(entity_data(conn, sid, day))
                lat.append(time.perf_counter() - t)
                i += 1
    return {"calls": len(lat), "per_s": len(lat) / sum(lat),
            "per_cpu_s": len(lat) / use.own if use.own else float("nan"),
            "p50_ms": 1000 * percentile(lat, .5), "p95_ms": 1000 * percentile(lat, .95),
            **use.figures()}



def _in_process_child(db: str, reqs, seconds: float, max_calls: int, queue) -> None:
    store = Store.open(db, create=False)
    try:
        queue.put(in_process(store, reqs, seconds, max_calls))
    finally:
        store.close()


def in_process_parallel(db: str, reqs, k: int, seconds: float, max_calls: int) -> dict:
    """The same calls in ``k`` processes at once (one per core the server's workers use),
    each on its own connection: what a core does when every core is busy, which is the
    fair measure for ``k`` workers (caches, memory bandwidth and the kernel are shared then,
    as they are by the workers). Each process's calls/s, and their mean."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_in_process_child, args=(db, reqs, seconds, max_calls, queue))
             for _ in range(k)]
    for p in procs:
        p.start()
    got = [queue.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join()
    rates = [g["per_s"] for g in got]
    return {"processes": k, "per_s_each": [round(r, 1) for r in rates],
            "per_s": sum(rates) / len(rates),
            "per_cpu_s": sum(g["per_cpu_s"] for g in got) / len(got)}

# -- the load generator -------------------------------------------------------------------
class _Conn:
    __slots__ = ("sock", "buf", "need", "sent_at", "i")

    def __init__(self, sock: socket.socket, i: int):
        self.sock, self.buf, self.need, self.sent_at, self.i = sock, b"", -1, 0.0, i


def drive(port: int, paths: list[bytes], clients: int, seconds: float,
          max_requests: int) -> tuple[list[float], list, float]:
    """``clients`` keep-alive connections, each sending its next request as soon as the
    answer to the last one is whole; until ``seconds`` have passed or ``max_requests`` were
    sent. Returns the latencies, the errors (status, start of the body) and the wall time."""
    sel = selectors.DefaultSelector()
    lat: list[float] = []
    errors: list = []
    budget = max_requests
    started = time.perf_counter()
    stop_at = started + seconds
    open_ = 0

    def send(c: _Conn) -> bool:
        nonlocal budget
        if budget <= 0 or time.perf_counter() >= stop_at:
            return False
        budget -= 1
        c.sent_at = time.perf_counter()
        c.sock.sendall(paths[c.i % len(paths)])
        c.i += 1
        return True

    for k in range(clients):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c = _Conn(s, k * 37)
        if send(c):
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, c)
            open_ += 1
        else:
            s.close()
    while open_:
        for key, _ in sel.select(timeout=max(0.01, stop_at - time.perf_counter() + 30)):
            c: _Conn = key.data
            try:
                chunk = c.sock.recv(1 << 20)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                    continue
                raise
            if not chunk:
                raise RuntimeError("the server closed a connection")
            c.buf += chunk
            if c.need < 0:
                end = c.buf.find(b"\r\n\r\n")
                if end < 0:
                    continue
                m = _LENGTH.search(c.buf, 0, end + 2)
                c.need = end + 4 + (int(m.group(1)) if m else 0)
            if len(c.buf) < c.need:
                continue
            lat.append(time.perf_counter() - c.sent_at)
            if c.buf[9:12] != b"200":
                errors.append((int(c.buf[9:12]), c.buf[c.buf.find(b"\r\n\r\n") + 4:][:200]))
            c.buf, c.need = c.buf[c.need:], -1
            if not send(c):
                sel.unregister(c.sock)
                c.sock.close()
                open_ -= 1
    sel.close()
    return lat, errors, time.perf_counter() - started


def level(port: int, pid: int, paths: list[bytes], clients: int, seconds: float,
          max_requests: int) -> dict:
    with Usage(pid) as use:
        lat, errors, took = drive(port, paths, clients, seconds, max_requests)
    n = len(lat)
    return {"clients": clients, "requests": n, "seconds": round(took, 2), "per_s": n / took,
            "p50_ms": 1000 * percentile(lat, .5), "p95_ms": 1000 * percentile(lat, .95),
            "errors": len(errors), "first_error": repr(errors[0]) if errors else None,
            "per_server_cpu_s": n / use.server if use.server else float("nan"),
            "client_cpu_us_per_request": round(1e6 * use.own / n, 1) if n else None,
            **use.figures()}


# -- the run ------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {proc.stderr.read()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Connection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not come up")


def run_db(db: str, workers: int, cache: str, args) -> list[dict]:
    """One server (``workers`` processes) over ``db``, measured in ``args.rounds`` rounds;
    each round measures the in-process calls again just before the server's levels, so
    that a change in the machine's load between them moves both (one result per round)."""
    os.environ[CACHE_ENV] = cache                 # for the in-process call and the server
    store = Store.open(db, create=False)
    reqs = sample_requests(store, args.sample)
    backend = store.dialect
    store.close()
    k = min(workers, os.cpu_count() or 1)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "nhsgraph", "--db", db, "serve", "--host",
                             "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rounds = []
    try:
        _wait_up(port, proc)
        paths = [f"GET /api/entities/{sid}?at={day} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                 .encode() for sid, day in reqs]
        drive(port, paths, 4 * workers, 1.0, 400)          # warm every worker
        for r in range(args.rounds):
            store = Store.open(db, create=False)
            try:
                inproc = in_process(store, reqs, args.seconds, args.max_requests)
            finally:
                store.close()
            together = in_process_parallel(db, reqs, k, args.seconds, args.max_requests) \
                if k > 1 else None
            levels = [level(port, proc.pid, paths, clients, args.seconds, args.max_requests)
                      for clients in args.clients]
            rounds.append({"round": r + 1, "in_process": inproc,
                           "in_process_together": together, "server": levels})
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return [{"backend": backend, "db": db.split("@")[-1], "workers": workers, "cache": cache,
             "cores": os.cpu_count(), **rd} for rd in rounds]


def _ratios(r: dict, lv: dict) -> tuple[float, float, float]:
    """(per core / in-process, per core / in-process with all cores busy, CPU ratio)."""
    ip = r["in_process"]
    busy = r.get("in_process_together") or ip
    cores = min(r["workers"], r["cores"])
    return (lv["per_s"] / cores / ip["per_s"], lv["per_s"] / cores / busy["per_s"],
            lv["per_server_cpu_s"] / ip["per_cpu_s"])


def summary(results: list[dict]) -> str:
    """The median of each ratio over the rounds, per store, workers, cache and clients."""
    from statistics import median

    groups: dict[tuple, list] = {}
    for r in results:
        for lv in r["server"]:
            key = (r["backend"], r["workers"], r["cache"], lv["clients"])
            groups.setdefault(key, []).append((_ratios(r, lv), lv["p95_ms"], lv["per_s"]))
    out = ["| store | workers | cache | clients | rounds | req/s (median) | p95 ms (median) | "
           "**per core / in-process** (median, range) | per core / in-process, all cores "
           "busy | CPU ratio |", "|---|---|---|---|---|---|---|---|---|---|"]
    for (backend, workers, cache, clients), got in groups.items():
        cols = list(zip(*(g[0] for g in got)))
        fmt = lambda xs: f"{median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"  # noqa: E731
        out.append(f"| {backend} | {workers} | {cache} | {clients} | {len(got)} | "
                   f"{median(g[2] for g in got):.0f} | {median(g[1] for g in got):.1f} | "
                   f"**{fmt(cols[0])}** | {fmt(cols[1])} | {fmt(cols[2])} |")
    return "\n".join(out)


def table(results: list[dict]) -> str:
    out = ["| store | workers | cache | round | clients | req/s | p50 ms | p95 ms | errors | "
           "in-process calls/s | **per core / in-process** | in-process calls/s a core, all "
           "cores busy | per core / that | CPU ratio | client µs CPU/req "
           "| load avg | machine busy cores (others) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ip = r["in_process"]
        for lv in r["server"]:
            ratio, ratio_busy, cpu_ratio = _ratios(r, lv)
            busy = r.get("in_process_together") or ip
            out.append(
                f"| {r['backend']} | {r['workers']} | {r['cache']} | {r['round']} | {lv['clients']} | "
                f"{lv['per_s']:.0f} | {lv['p50_ms']:.1f} | {lv['p95_ms']:.1f} | "
                f"{lv['errors']} | {ip['per_s']:.0f} | **{ratio:.2f}** | {busy['per_s']:.0f} | "
                f"{ratio_busy:.2f} | {cpu_ratio:.2f} | "
                f"{lv['client_cpu_us_per_request']} | "
                f"{lv['loadavg_1m'][0]:.1f}–{lv['loadavg_1m'][1]:.1f} | "
                f"{lv['machine_busy_cores']:.2f} ({lv['others_busy_cores']:.2f}) |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", action="append", required=True,
                    help="A database holding a registry (repeat for SQLite and PostgreSQL).")
    ap.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1, os.cpu_count() or 1], help="Server processes, e.g. 1,2.")
    ap.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1, 20, 50])
    ap.add_argument("--cache", choices=["off", "on", "both"], default="off",
                    help="Serve from the answer cache (off: every answer computed).")
    ap.add_argument("--seconds", type=float, default=8.0, help="Per level (bound).")
    ap.add_argument("--max-requests", type=int, default=20_000, help="Per level (bound).")
    ap.add_argument("--sample", type=int, default=500, help="Distinct organisations asked.")
    ap.add_argument("--rounds", type=int, default=1,
                    help="Measure each server this many times, the in-process calls again "
                         "before each round; the summary gives the medians.")
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    args = ap.parse_args()
    caches = ["off", "on"] if args.cache == "both" else [args.cache]
    results = [r for db in args.db for w in dict.fromkeys(args.workers) for c in caches
               for r in run_db(db, w, c, args)]
    for r in results:
        print(json.dumps(r))
    print(table(results))
    print()
    print(summary(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
