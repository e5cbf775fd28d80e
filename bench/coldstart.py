#!/usr/bin/env python3
"""Cold start figures, median of N runs each (issue: under 1.5 s):
  health  process start -> first 200 from /health
  write   process start -> first answered write (POST /api/reviews, 201)
  state   `state ssr2 --as-of X` end to end (process start -> exit)

Usage: bench/coldstart.py [--runs 5] [--pg warm|cold] [--dll PATH] [--data DIR]
  warm: the embedded PostgreSQL is started once beforehand and left running;
  cold: it is stopped before every run (the program starts it itself).
Build first: dotnet build src/Ssr2Ledger -c Release
"""
import argparse, http.client, json, os, socket, statistics, subprocess, sys, time, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=5)
p.add_argument("--pg", choices=["warm", "cold"], default="warm")
p.add_argument("--dll", default=os.path.join(ROOT, "src/Ssr2Ledger/bin/Release/net10.0/Ssr2Ledger.dll"))
p.add_argument("--data", default="/tmp/ssr2ledger-coldstart/postgres")
p.add_argument("--as-of", default="2018-06-30T00:00:00Z")
p.add_argument("--only", default="health,write,state")
args = p.parse_args()

env = dict(os.environ, Ledger__DataDirectory=args.data, DOTNET_NOLOGO="1")
env.pop("ConnectionStrings__Ledger", None)


def ledger(*verb, check=True):
    r = subprocess.run(["dotnet", args.dll, *verb], env=env, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(verb)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def pg_ctl(*a):
    bindir = next(d for d in (f"/usr/lib/postgresql/{v}/bin" for v in range(20, 14, -1)) if os.path.exists(d))
    user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    return subprocess.run([*user, f"{bindir}/pg_ctl", "-D", args.data, *a], capture_output=True, text=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


def serve_until(answered):
    """Seconds from spawning `serve` to answered(port) returning a status (retried while refused)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(["dotnet", args.dll, "serve", "--urls", f"http://127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                sys.exit("serve exited before answering")
            try:
                status = answered(port)
                elapsed = time.perf_counter() - t0
                if status in (200, 201):
                    return elapsed
                sys.exit(f"unexpected status {status}")
            except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
                time.sleep(0.005)
    finally:
        proc.terminate()
        proc.wait()


def charter(key):
    def post(port):
        rid = "cs-" + uuid.uuid4().hex[:12]
        body = json.dumps({"reviewId": rid, "name": "Cold start", "mandate": "Timing the first write.",
                           "effectiveAt": "2020-01-01T00:00:00Z"})
        return request(port, "POST", "/api/reviews", body,
                       {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    return post


def state():
    t0 = time.perf_counter()
    r = ledger("state", "ssr2", "--as-of", args.as_of)
    return time.perf_counter() - t0


# Setup: data, the SSR2 history and a recorder key (not timed).
if not os.path.exists(os.path.join(args.data, "PG_VERSION")) or ledger("state", "ssr2", check=False).returncode != 0:
    ledger("import", os.path.join(ROOT, "data/ssr2.ndjson"), "--review", "ssr2", check=False)
key = ledger("keys", "add", "--name", "coldstart", "--role", "recorder").stdout.strip().splitlines()[-1]
if args.pg == "warm":
    pg_ctl("start", "-w", "-l", os.path.join(args.data, "server.log"),
           "-o", f"-p {free_port()} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200")

figures = {"health": lambda: serve_until(lambda port: request(port, "GET", "/health")),
           "write": lambda: serve_until(charter(key)),
           "state": state}
chosen = args.only.split(",")
results = {name: [] for name in chosen}
ledger("state", "ssr2")  # one untimed run: disk caches warm
for _ in range(args.runs):
    for name in chosen:
        if args.pg == "cold":
            pg_ctl("stop", "-m", "fast", "-w")
        results[name].append(figures[name]())
if args.pg == "warm":
    pg_ctl("stop", "-m", "fast", "-w")

print(f"PostgreSQL {args.pg}, {args.runs} runs, {args.dll}")
for name, times in results.items():
    print(f"  {name:7} median {statistics.median(times):.3f} s   runs " + " ".join(f"{t:.3f}" for t in times))
