#!/usr/bin/env python3
"""The sources of bench/soak: static documents, counter documents and hostile answers, on one port.

  /doc/N        a static document of 10 values
  /counter/N    {"metrics": {"count": K}} where K goes up by one with every request for that N; each value
                whose answer was written whole is appended to LOG as "N K" (the values the daemon was given)
  /hostile/KIND one misbehaviour per KIND (see HOSTILE): headers, lengths, resets, drips, bombs

Usage: soak-source.py PORT LOG
"""
import gzip
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
LOG = open(sys.argv[2], "a", buffering=1)
counters = {}
lock = threading.Lock()

DOC = json.dumps({"metrics": {f"m{i}": i * 1.5 for i in range(10)}}).encode()
GZIP_BOMB = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
LABELS = ",".join(f'l{i}="v"' for i in range(100_000))


def head(status, headers=(), length=None):
    lines = [f"HTTP/1.1 {status}"] + list(headers)
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def ok(body, headers=()):
    return head("200 OK", ["Content-Type: application/json", *headers], len(body)) + body


# Each answer: a list of bytes to send, "drip" (one byte a second) or "reset" (RST instead of FIN).
HOSTILE = {
    "retry_huge": [head("429 Too Many Requests", ["Retry-After: 1e20"], 2) + b"{}"],
    "retry_inf": [head("429 Too Many Requests", ["Retry-After: inf"], 2) + b"{}"],
    "reset_huge": [ok(b'{"metrics": {"count": 1}}', ["X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 99999999999999999999999"])],
    "nesting": [ok(b"[" * 300_000)],
    "bignumber": [ok(b'{"metrics": {"count": 1e999999}}')],
    "hugekey": [ok(b'{"' + b"k" * 3_000_000 + b'": 1, "metrics": {"count": 1}}')],
    "badutf8": [ok(b'{"metrics": {"count": 1, "\xff\xfe": 2}}')],
    "headers_many": [head("200 OK", [f"X-RateLimit-Junk-{i}: {i}" for i in range(30_000)], len(DOC)) + DOC],
    "header_huge": [head("200 OK", ["X-RateLimit-Remaining: " + "9" * 3_000_000], len(DOC)) + DOC],
    "gzip_bomb": [head("200 OK", ["Content-Encoding: gzip"], len(GZIP_BOMB)) + GZIP_BOMB],
    "prom_labels": [head("200 OK", [], None) + f"# TYPE up gauge\nup{{{LABELS}}} 1\n".encode()],
    "redirect_loop": [head("302 Found", ["Location: /hostile/redirect_loop"], 0)],
    "lying_length": [head("200 OK", [], 100_000) + DOC],
    "drip": [head("200 OK", [], 50), "drip"],
    "reset": [head("200 OK", [], 100_000) + b'{"metrics": ', "reset"],
    "token_huge": [ok(b'{"access_token": "t", "expires_in": 1e300}')],
    "token_negative": [ok(b'{"access_token": "t", "expires_in": -1e308}')],
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 1 << 20))
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path.startswith("/doc/"):
            self.send(200, DOC)
        elif path.startswith("/counter/"):
            name = path[len("/counter/"):]
            with lock:
                value = counters.get(name, 0) + 1
                counters[name] = value
            if self.send(200, json.dumps({"metrics": {"count": value}}).encode()):
                LOG.write(f"{name} {value}\n")
        elif path.startswith("/hostile/") and path[len("/hostile/"):] in HOSTILE:
            self.hostile(HOSTILE[path[len("/hostile/"):]])
        else:
            self.send(404, b"{}")

    def send(self, status, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            return True
        except OSError:
            return False

    def hostile(self, steps):
        self.close_connection = True
        connection = self.connection
        try:
            for step in steps:
                if step == "drip":
                    for _ in range(50):
                        connection.sendall(b" ")
                        time.sleep(1)
                elif step == "reset":
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
                    return
                else:
                    connection.sendall(step)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


Server(("127.0.0.1", PORT), Handler).serve_forever()
