#!/usr/bin/env python3
"""A console socket as engines implement one (conmon, containerd's shim): listen on a unix
socket, accept runts's connection, take the pty master from the SCM_RIGHTS message, then talk
to the container's terminal through it.

usage: console_receiver.py SOCKET INPUT
Prints one JSON object: the message text, and everything the terminal showed until the
container side closed it (or 10 s passed)."""
import json
import os
import socket
import sys

from terminal_io import read_master

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
output = read_master(master, b"", 10)
print(json.dumps({"message": message.decode(), "descriptors": len(fds), "output": output.decode(errors="replace")}))
