#!/usr/bin/env python3
"""The gateway's memory under the two floods of issue 11 (docs/benchmarks.md "Gateway memory").

Starts tether-gateway with its default config once per flood, floods it from this process, and
prints one JSON object: for each flood, what the gateway answered, its open sessions, and its
resident memory (VmRSS before and after, VmHWM: the peak) from /proc/<pid>/status, in KiB.

  upstream_burst: one /echo session, then `--burst-messages` upstream requests of one BINARY
                  message of `--burst-bytes` each, never acknowledged and with no downstream.
  creates:        `--creates` emulated creates as fast as `--threads` keep-alive connections go,
                  from `--clients` source addresses (127.0.0.1, 127.0.0.2, ...), so that both the
                  per-client cap and the global one show.

Usage: gateway_flood.py --gateway build/dev/tests/gateway/tether-gateway [--quick]
Linux only (/proc). Standard library only.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading

BINARY = 0x02


def frame(frame_type, sequence, payload):
    """One frame of docs/emulation.md section 5."""
    return struct.pack(">BQI", frame_type, sequence, len(payload)) + payload


def memory_kib(pid):
    """VmRSS and VmHWM of pid, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values


class Gateway:
    """tether-gateway on a port of its choosing, stopped with SIGTERM."""

    def __init__(self, path):
        self._directory = tempfile.TemporaryDirectory()
        config = os.path.join(self._directory.name, "gateway.json")
        with open(config, "w", encoding="ascii") as file:
            file.write("{}")
        self.process = subprocess.Popen([path, "--config", config], stdout=subprocess.PIPE)
        ready = json.loads(self.process.stdout.readline())
        self.port = ready["ws_port"]

    def connection(self, source="127.0.0.1"):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=(source, 0))

    def stats(self):
        connection = self.connection()
        connection.request("GET", "/_stats")
        return json.loads(connection.getresponse().read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self._directory.cleanup()


def create(connection):
    connection.request("POST", "/echo/;e/create", headers={"Tether-Emulation": "1"})
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader("Tether-Session")


def upstream_burst(gateway, messages, size):
    connection = gateway.connection()
    status, token = create(connection)
    if status != 201:
        raise RuntimeError(f"create answered {status}")
    statuses = {}
    payload = b"\x5a" * size
    for sequence in range(1, messages + 1):
        headers = {"Tether-Emulation": "1", "Tether-Session": token, "Tether-Ack": "0",
                   "Content-Type": "application/octet-stream"}
        connection.request("POST", f"/echo/;e/up?n={sequence}",
                           body=frame(BINARY, sequence, payload), headers=headers)
        response = connection.getresponse()
        response.read()
        statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
    return {"messages": messages, "message_bytes": size, "upstream_statuses": statuses}


def creates(gateway, count, threads, clients):
    statuses = {}
    lock = threading.Lock()
    remaining = [count]

    def run(index):
        connection = gateway.connection(f"127.0.0.{1 + index % clients}")
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            status, _ = create(connection)
            with lock:
                statuses[str(status)] = statuses.get(str(status), 0) + 1

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(run, index) for index in range(threads)]:
            future.result()
    return {"creates": count, "threads": threads, "clients": clients,
            "create_statuses": statuses}


def measure(gateway_path, flood):
    gateway = Gateway(gateway_path)
    try:
        before = memory_kib(gateway.process.pid)
        result = flood(gateway)
        after = memory_kib(gateway.process.pid)
        stats = gateway.stats()
        result.update({
            "vm_rss_kib_before": before["VmRSS"],
            "vm_rss_kib_after": after["VmRSS"],
            "vm_hwm_kib": after["VmHWM"],
            "emulated_sessions_open": stats["emulated_sessions_open"],
            "emulated_sessions_created": stats["emulated_sessions_created"],
        })
        return result
    finally:
        gateway.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", required=True, help="path to tether-gateway")
    parser.add_argument("--burst-messages", type=int, default=50)
    parser.add_argument("--burst-bytes", type=int, default=2 * 1024 * 1024)
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=1, help="source addresses, at most 254")
    parser.add_argument("--quick", action="store_true", help="small floods, for the smoke test")
    args = parser.parse_args()
    if args.quick:
        args.burst_messages, args.burst_bytes, args.creates = 5, 64 * 1024, 50
    report = {
        "gateway": args.gateway,
        "upstream_burst": measure(args.gateway, lambda gateway: upstream_burst(
            gateway, args.burst_messages, args.burst_bytes)),
        "creates": measure(args.gateway, lambda gateway: creates(
            gateway, args.creates, max(args.threads, args.clients), args.clients)),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
