#!/usr/bin/python3
"""N students of a teaching lab at once, through the hub as their browsers would go (environment/tests/teaching-lab.sh).

    lab-students.py --hub URL --token FILE --root DIR --students N --out DIR NOTEBOOK... --train NOTEBOOK

Each student's server is started through the hub's REST API; then, for each notebook in turn, a session is opened
on the student's server (through the hub's proxy) and every code cell is sent to its kernel over the kernel's
websocket, as the classic Notebook page does; an error output or an error reply fails that notebook. The --train
notebook runs last, with a cell after the first that sets RESULTS to a folder of the student's own (docs/hosting.md), so
its runs are trained, not read back. All students run at the same time. Meanwhile the memory of each student's
processes is sampled once a second (PSS, so that libraries shared between the students' kernels count once).
Prints one line per student and notebook, then the peaks; writes students.json in --out. Exits 1 on a failure.
DIR (--root) is the machine's root as the test sees it (a chroot), where the students' homes and passwd are.
"""
import argparse
import asyncio
import datetime
import json
import os
import sys
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

p = argparse.ArgumentParser()
p.add_argument("--hub", required=True)
p.add_argument("--token", required=True)
p.add_argument("--root", required=True)
p.add_argument("--students", type=int, required=True)
p.add_argument("--out", required=True)
p.add_argument("--train", required=True)
p.add_argument("notebooks", nargs="+")
args = p.parse_args()
token = open(args.token).read().strip()
students = [f"student{i}" for i in range(1, args.students + 1)]
uids = {}
for line in open(os.path.join(args.root, "etc/passwd")):
    f = line.split(":")
    if f[0] in students:
        uids[int(f[2])] = f[0]
AsyncHTTPClient.configure(None, max_clients=4 * len(students))


async def api(method, url, body=None):
    # Generous timeouts: 8 kernels starting on 2 cores keep a server busy for tens of seconds (tornado's default is 20 s).
    req = HTTPRequest(url, method=method, headers={"Authorization": f"token {token}"}, connect_timeout=300, request_timeout=600,
                      body=None if method in ("GET", "DELETE") else json.dumps(body or {}))
    r = await AsyncHTTPClient().fetch(req, raise_error=False)
    if r.code >= 400:
        raise RuntimeError(f"{method} {url}: HTTP {r.code} {r.body[:200]!r}")
    return json.loads(r.body) if r.body else None


async def start_server(user):
    t0 = time.time()
    await api("POST", f"{args.hub}/hub/api/users/{user}/server")
    while True:
        u = await api("GET", f"{args.hub}/hub/api/users/{user}")
        s = u.get("servers", {}).get("", {})
        if s.get("ready"):
            return time.time() - t0
        if time.time() - t0 > 300:
            raise RuntimeError(f"{user}'s server not ready after 300 s")
        await asyncio.sleep(1)


CELL_TIMEOUT_S = 900


def message(session, kind, content):
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": kind, "username": "student",
                       "session": session, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content}


def execute(session, code):
    return message(session, "execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})


async def wait_ready(ws, session):
    """As the Notebook page does before it runs a cell: kernel_info until the kernel answers."""
    deadline = time.time() + 180
    while time.time() < deadline:
        m = message(session, "kernel_info_request", {})
        await ws.write_message(json.dumps(m))
        end = time.time() + 3
        while time.time() < end:
            try:
                raw = await asyncio.wait_for(ws.read_message(), max(0.1, end - time.time()))
            except asyncio.TimeoutError:
                break
            if raw is None:
                raise RuntimeError("the kernel's websocket closed before the kernel was ready")
            r = json.loads(raw)
            if r["header"]["msg_type"] == "kernel_info_reply" and r["parent_header"].get("msg_id") == m["header"]["msg_id"]:
                return
    raise RuntimeError("the kernel did not answer kernel_info within 180 s")


async def run_notebook(user, path, train):
    base = f"{args.hub}/user/{user}"
    nb = json.load(open(os.path.join(args.root, "home", user, path)))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    if train:
        cells.insert(1, 'RESULTS = Path.of("../results/mine");')
    t0 = time.time()
    s = await api("POST", f"{base}/api/sessions", {"path": path, "type": "notebook", "name": "",
                                                   "kernel": {"name": "calf-java"}})
    ws = await websocket_connect(HTTPRequest(f"ws{base[4:]}/api/kernels/{s['kernel']['id']}/channels",
                                             headers={"Authorization": f"token {token}"},
                                             connect_timeout=300, request_timeout=300))
    errors, outputs = [], 0
    session = uuid.uuid4().hex
    try:
        await wait_ready(ws, session)
        for number, code in enumerate(cells):
            m = execute(session, code)
            await ws.write_message(json.dumps(m))
            # The cell is done when its reply (shell) and its idle status (iopub) have both come: the two channels
            # share the websocket, and outputs may arrive after the reply.
            replied = idle = False
            while not (replied and idle):
                try:
                    raw = await asyncio.wait_for(ws.read_message(), CELL_TIMEOUT_S)
                except asyncio.TimeoutError:
                    raise RuntimeError(f"{path}: code cell {number} sent no message for {CELL_TIMEOUT_S} s "
                                       f"(reply {'seen' if replied else 'not seen'}, idle {'seen' if idle else 'not seen'})")
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                r = json.loads(raw)
                if r.get("parent_header", {}).get("msg_id") != m["header"]["msg_id"]:
                    continue
                kind = r["header"]["msg_type"]
                if kind == "error":
                    errors.append(f"{r['content']['ename']}: {r['content']['evalue'][:200]}")
                elif kind in ("display_data", "execute_result"):
                    outputs += 1
                elif kind == "status" and r["content"].get("execution_state") == "idle":
                    idle = True
                elif kind == "execute_reply":
                    if r["content"]["status"] != "ok" and not errors:
                        errors.append(r["content"].get("evalue", r["content"]["status"])[:200])
                    replied = True
            if errors:
                break
    finally:
        ws.close()
        await api("DELETE", f"{base}/api/sessions/{s['id']}")
    return {"notebook": os.path.basename(path), "seconds": round(time.time() - t0, 1), "cells": len(cells),
            "outputs": outputs, "errors": errors}


async def student(user, record):
    record["server_start_s"] = round(await start_server(user), 1)
    record["notebooks"] = []
    for nb in args.notebooks + [args.train]:
        r = await run_notebook(user, nb, nb == args.train)
        record["notebooks"].append(r)
        print(f"[lab] {user} {r['notebook']}: {r['seconds']} s, {r['cells']} cells, {r['outputs']} charts/tables, "
              + (f"ERROR {r['errors'][0]}" if r["errors"] else "ok"), flush=True)


def pss_by_student():
    """PSS (kB) of every process of each student, and their kernels' uids."""
    use, kernels = {u: 0 for u in students}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            uid = os.stat(f"/proc/{pid}").st_uid
            if uid not in uids:
                continue
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        use[uids[uid]] += int(line.split()[1])
            if b"ReliableKernel" in open(f"/proc/{pid}/cmdline", "rb").read():
                kernels[pid] = uids[uid]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return use, kernels


def available_kb():
    for line in open("/proc/meminfo"):
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])
    return 0


async def sample(peaks, state):
    base = available_kb()
    while not state["done"]:
        use, kernels = await asyncio.get_running_loop().run_in_executor(None, pss_by_student)
        for u, kb in use.items():
            peaks[u] = max(peaks.get(u, 0), kb)
        total = sum(use.values())
        state["peak_total_kb"] = max(state.get("peak_total_kb", 0), total)
        state["peak_used_kb"] = max(state.get("peak_used_kb", 0), base - available_kb())
        state["kernels_seen"] = max(state.get("kernels_seen", 0), len(kernels))
        await asyncio.sleep(1)


async def main():
    records = {u: {"student": u} for u in students}
    peaks, state = {}, {"done": False}
    sampler = asyncio.create_task(sample(peaks, state))
    t0 = time.time()
    results = await asyncio.gather(*(student(u, records[u]) for u in students), return_exceptions=True)
    wall = time.time() - t0
    state["done"] = True
    await sampler
    failed = []
    for u, r in zip(students, results):
        records[u]["peak_pss_mb"] = round(peaks.get(u, 0) / 1024)
        if isinstance(r, Exception):
            failed.append(f"{u}: {r}")
        failed += [f"{u} {n['notebook']}: {n['errors'][0]}" for n in records[u].get("notebooks", []) if n["errors"]]
    summary = {"students": len(students), "wall_s": round(wall), "cpus": os.cpu_count(),
               "peak_pss_sum_mb": round(state.get("peak_total_kb", 0) / 1024),
               "peak_machine_used_mb": round(state.get("peak_used_kb", 0) / 1024),
               "peak_kernels": state.get("kernels_seen", 0),
               "per_student_peak_pss_mb": sorted(r["peak_pss_mb"] for r in records.values()),
               "records": list(records.values()), "failed": failed}
    json.dump(summary, open(os.path.join(args.out, "students.json"), "w"), indent=1)
    times = {}
    for r in records.values():
        for n in r.get("notebooks", []):
            times.setdefault(n["notebook"], []).append(n["seconds"])
    for nb, ts in times.items():
        print(f"[lab] {nb}: {min(ts):.0f}–{max(ts):.0f} s a student ({len(ts)} students at once)")
    pss = summary["per_student_peak_pss_mb"]
    print(f"[lab] {len(students)} students at once on {os.cpu_count()} CPUs: all done in {wall:.0f} s; peak memory a "
          f"student (PSS) {pss[0]}–{pss[-1]} MB, median {pss[len(pss) // 2]} MB; all students at once at most "
          f"{summary['peak_pss_sum_mb']} MB (PSS), the machine's used memory up by at most "
          f"{summary['peak_machine_used_mb']} MB; {summary['peak_kernels']} kernels running at once at most")
    if failed:
        print("[lab] FAILED:\n  " + "\n  ".join(failed))
        sys.exit(1)


asyncio.run(main())
