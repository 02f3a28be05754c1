#!/usr/bin/env python3
"""Resident memory of a language server while a user types: opens a Dockerfile, types
10,000 characters at the end of line 4 (deleting every 40, as when fixing a typo), waits for
the diagnostics of every 50th version, and prints the server's VmRSS and thread count after
100, 500, 1,000, 2,000, 5,000 and 10,000 edits.

    python3 tools/rss_typing.py target/release/dockerfile-lsp FILE [NAME=VALUE ...]

NAME=VALUE pairs are added to the server's environment (e.g. MIMALLOC_PURGE_DELAY=0).
Linux only (reads /proc). Standard library only.
"""
import json
import os
import queue
import subprocess
import sys
import threading
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def main():
    server, path = sys.argv[1], sys.argv[2]
    env = dict(os.environ)
    for pair in sys.argv[3:]:
        name, value = pair.split("=", 1)
        env[name] = value
    proc = subprocess.Popen([server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    inbox = queue.Queue()

    def reader():
        while True:
            headers = {}
            while True:
                line = proc.stdout.readline()
                if not line:
                    return
                if line == b"\r\n":
                    break
                key, value = line.decode().split(":", 1)
                headers[key.lower()] = value.strip()
            inbox.put(json.loads(proc.stdout.read(int(headers["content-length"]))))

    threading.Thread(target=reader, daemon=True).start()

    def send(message):
        proc.stdin.write(frame(message))
        proc.stdin.flush()

    def wait(predicate):
        while True:
            message = inbox.get(timeout=60)
            if predicate(message):
                return message
            if "id" in message and "method" in message:  # a server request: answer null
                send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def usage():
        rss = threads = None
        with open("/proc/%d/status" % proc.pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        return "%.1f MB, %d threads" % (rss, threads)

    def diagnostics_of(version):
        return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"].get("version") == version)

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait(lambda m: m.get("id") == 1 and "method" not in m)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///rss-typing/Dockerfile"
    with open(path) as f:
        text = f.read()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}})
    wait(diagnostics_of(1))
    print("open: %s" % usage())
    line = 3
    column = len(text.split("\n")[line])
    version, typed = 1, 0
    for i in range(1, 10001):
        version += 1
        if typed == 40:
            typed = 0
            start, end, insert = column, column + 40, ""
        else:
            typed += 1
            start = end = column + typed - 1
            insert = "x"
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                          "end": {"line": line, "character": end}},
                                "text": insert}]}})
        if i % 50 == 0:
            wait(diagnostics_of(version))
        if i in (100, 500, 1000, 2000, 5000, 10000):
            time.sleep(0.3)
            print("after %5d edits: %s" % (i, usage()), flush=True)
    proc.kill()


if __name__ == "__main__":
    main()
