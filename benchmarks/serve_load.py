"""Load on the server: requests/s and p50/p95 latency of the organisation-as-at endpoint
(``GET /api/entities/{id}?at=``) at 1, 20 and 50 concurrent clients, beside the same call
made in Python (``services.views.entity_data`` + the JSON encoding) in the same run.

Bounded and local: the server is started on 127.0.0.1 on a free port (``nhsgraph serve
--workers N``), each level runs for ``--seconds`` or ``--max-requests``, whichever comes
first, and the server is stopped at the end whatever happens. The clients are asyncio
connections speaking keep-alive HTTP/1.1 directly (a few microseconds of client CPU per
request, so that the load generator takes as little as possible of the cores it shares
with the server).

    PYTHONPATH=src python benchmarks/serve_load.py --db /tmp/real.db
    PYTHONPATH=src python benchmarks/serve_load.py --db /tmp/real.db \\
        --db postgresql://postgres:postgres@localhost:5432/nhsgraph_bench --workers 1,2

Each ``--db`` must already hold a registry (e.g. ``nhsgraph --db X demo --official
../shared/data/real --no-serve``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nhsgraph.store import Store  # noqa: E402

_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.I)
_STATUS = re.compile(rb"HTTP/1\.[01] (\d{3})")


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
    out = []
    for sid, vf in rows:
        day = str(vf)[:10] if vf else "2015-06-01"
        out.append((sid, day))
    return out


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def in_process(store: Store, reqs, seconds: float, max_calls: int) -> dict:
    """The same answer computed in this process, one call after another on one core."""
    from nhsgraph.services.views import entity_data
    from nhsgraph.asgi.http import dumps

    lat = []
    with store.reader() as conn:
        for sid, day in reqs[:20]:                      # warm the caches, as the server is
            dumps(entity_data(conn, sid, day))
        stop = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < stop and i < max_calls:
            sid, day = reqs[i % len(reqs)]
            t = time.perf_counter()
            dumps(entity_data(conn, sid, day))
            lat.append(time.perf_counter() - t)
            i += 1
    total = sum(lat)
    return {"calls": len(lat), "per_s": len(lat) / total, "p50_ms": 1000 * percentile(lat, .5),
            "p95_ms": 1000 * percentile(lat, .95)}


async def _client(port: int, paths: list[bytes], start: int, stop_at: float, budget: list,
                  lat: list, errors: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    try:
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            req = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.readexactly(int(_LENGTH.search(head).group(1)))
            lat.append(time.perf_counter() - t)
            status = int(_STATUS.match(head).group(1))
            if status != 200:
                errors.append((status, body[:200]))
    finally:
        writer.close()


async def _level(port: int, paths: list[bytes], clients: int, seconds: float,
                 max_requests: int) -> dict:
    lat: list[float] = []
    errors: list = []
    budget = [max_requests]
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(*(_client(port, paths, k * 37, stop_at, budget, lat, errors)
                           for k in range(clients)))
    took = time.perf_counter() - started
    return {"clients": clients, "requests": len(lat), "seconds": round(took, 2),
            "per_s": len(lat) / took, "p50_ms": 1000 * percentile(lat, .5),
            "p95_ms": 1000 * percentile(lat, .95), "errors": len(errors),
            "first_error": repr(errors[0]) if errors else None}


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


def run_db(db: str, workers: int, args) -> dict:
    store = Store.open(db, create=False)
    reqs = sample_requests(store, args.sample)
    backend = store.dialect
    load = os.getloadavg()[0]
    inproc = in_process(store, reqs, args.seconds, args.max_requests)
    store.close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "nhsgraph", "--db", db, "serve", "--host",
                             "127.0.0.1", "--port", str(port), "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    levels = []
    try:
        _wait_up(port, proc)
        paths = [f"GET /api/entities/{sid}?at={day} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                 .encode() for sid, day in reqs]
        asyncio.run(_level(port, paths, 4, 1.0, 400))          # warm every worker
        for clients in args.clients:
            levels.append(asyncio.run(_level(port, paths, clients, args.seconds,
                                             args.max_requests)))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"backend": backend, "db": db.split("@")[-1], "workers": workers,
            "cores": os.cpu_count(), "loadavg_1m_before": round(load, 2),
            "loadavg_1m_after": round(os.getloadavg()[0], 2), "in_process": inproc,
            "server": levels}


def table(results: list[dict]) -> str:
    out = ["| store | clients | server req/s | p50 ms | p95 ms | errors | in-process calls/s "
           "(1 core) | server per busy core / in-process |",
           "|---|---|---|---|---|---|---|---|"]
    for r in results:
        ip = r["in_process"]
        for lv in r["server"]:
            ratio = lv["per_s"] / min(r["workers"], r["cores"]) / ip["per_s"]
            out.append(f"| {r['backend']} ({r['workers']} workers) | {lv['clients']} | "
                       f"{lv['per_s']:.0f} | {lv['p50_ms']:.1f} | {lv['p95_ms']:.1f} | "
                       f"{lv['errors']} | {ip['per_s']:.0f} (p50 {ip['p50_ms']:.1f} ms) | "
                       f"{ratio:.2f} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", action="append", required=True,
                    help="A database holding a registry (repeat for SQLite and PostgreSQL).")
    ap.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1, os.cpu_count() or 1], help="Server processes, e.g. 1,2.")
    ap.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1, 20, 50])
    ap.add_argument("--seconds", type=float, default=8.0, help="Per level (bound).")
    ap.add_argument("--max-requests", type=int, default=20_000, help="Per level (bound).")
    ap.add_argument("--sample", type=int, default=500, help="Distinct organisations asked.")
    ap.add_argument("--json", type=Path, help="Also write the results here.")
    args = ap.parse_args()
    results = [run_db(db, w, args) for db in args.db for w in dict.fromkeys(args.workers)]
    for r in results:
        print(json.dumps(r))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
