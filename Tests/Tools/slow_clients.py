#!/usr/bin/env python3
"""Slow and hostile clients against a portal (`transfert serve`), for PortalSlowClientTests.

usage: slow_clients.py PORT PID COUNT HOLD_SECONDS [KINDS]

Opens COUNT connections to 127.0.0.1:PORT, in turn of each kind (KINDS, comma-separated, default all three):
  - slowloris: a request head sent a header line per second, never finished;
  - non-reader: small GETs pipelined as fast as the socket takes them, no answer ever read
    (a 4 KiB receive buffer, so the server's writes back up at once);
  - idle: connected, nothing sent.
For HOLD_SECONDS it keeps them so while a normal client asks GET /health once per 0.2 s, and samples the
server's /proc/PID/status. Then it prints one JSON line:
  {"opened": N, "normal_requests": N, "normal_failures": N, "normal_max_ms": X, "vm_hwm_kib": N,
   "vm_rss_kib": N, "rss_anon_kib": N (the largest sampled), "rss_file_kib": N, "open_at_end": N}
and keeps every connection open until its standard input closes (the test sends SIGTERM meanwhile).
"""
import json
import resource
import selectors
import socket
import sys
import time

port, pid, count, hold = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
kinds = sys.argv[5].split(",") if len(sys.argv) > 5 else ["slowloris", "non-reader", "idle"]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft != resource.RLIM_INFINITY and soft < count + 64:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 256) if hard != resource.RLIM_INFINITY else count + 256, hard))


def status(field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def normal_request():
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: portal\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return ok, (time.monotonic() - start) * 1000


pipelined = b"GET /?id=1 HTTP/1.1\r\nHost: portal\r\n\r\n" * 64
clients = []  # (socket, kind)
for i in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    kind = kinds[i % len(kinds)]
    if kind == "non-reader":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    try:
        s.connect(("127.0.0.1", port))
    except OSError:
        s.close()
        continue
    s.setblocking(False)
    if kind == "slowloris":
        try:
            s.send(b"GET /?id=1 HTTP/1.1\r\nHost: portal\r\n")
        except OSError:
            pass
    clients.append([s, kind, True])

requests = failures = 0
worst = 0.0
anon_peak = 0
end = time.monotonic() + hold
next_line = time.monotonic()
while time.monotonic() < end:
    now = time.monotonic()
    for client in clients:
        s, kind, alive = client
        if not alive:
            continue
        try:
            if kind == "non-reader":
                s.send(pipelined)
            elif kind == "slowloris" and now >= next_line:
                s.send(b"X-Slow: 1\r\n")
        except BlockingIOError:
            pass
        except OSError:
            client[2] = False
    if now >= next_line:
        next_line = now + 1
    ok, ms = normal_request()
    requests += 1
    failures += 0 if ok else 1
    worst = max(worst, ms)
    anon_peak = max(anon_peak, status("RssAnon") or 0)
    time.sleep(0.2)

print(json.dumps({
    "opened": len(clients), "normal_requests": requests, "normal_failures": failures,
    "normal_max_ms": round(worst, 1), "vm_hwm_kib": status("VmHWM"), "vm_rss_kib": status("VmRSS"), "rss_anon_kib": max(anon_peak, status("RssAnon") or 0), "rss_file_kib": status("RssFile"),
    "open_at_end": sum(1 for c in clients if c[2]),
}), flush=True)
sys.stdin.read()
for client in clients:
    client[0].close()
