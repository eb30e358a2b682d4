#!/usr/bin/env python3
"""A console socket as engines implement one (conmon, containerd's shim): listen on a unix
socket, accept runts's connection, take the pty master from the SCM_RIGHTS message, then talk
to the container's terminal through it.

usage: console_receiver.py SOCKET INPUT
Prints one JSON object: the message text, and everything the terminal showed until the
container side closed it (or 10 s passed)."""
import json
import os
import select
import socket
import sys
import time

path, text = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
print("listening", file=sys.stderr, flush=True)
server.settimeout(20)
connection, _ = server.accept()
message, fds, _, _ = socket.recv_fds(connection, 4096, 1)
master = fds[0]
os.write(master, text.encode())
output = b""
deadline = time.time() + 10
while time.time() < deadline:
    ready, _, _ = select.select([master], [], [], 0.1)
    if not ready:
        continue
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the last holder of the slave is gone
        break
    if not chunk:
        break
    output += chunk
print(json.dumps({"message": message.decode(), "descriptors": len(fds), "output": output.decode(errors="replace")}))
