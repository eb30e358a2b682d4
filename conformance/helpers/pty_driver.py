#!/usr/bin/env python3
"""Runs a command on a pty of its own, as a person at a terminal would: waits for the prompt,
types each input line, can resize the window, and reports what the screen showed and how the
command exited.

usage: pty_driver.py ROWS COLS SCRIPT -- COMMAND...
SCRIPT is a JSON list of steps: {"type": "text"} sends text, {"resize": [rows, cols]} resizes
the window; each step waits until the output shows a prompt ("# ") after the last step.
Prints one JSON object: output, exit code."""
import fcntl
import json
import os
import select
import struct
import sys
import termios
import time

rows, cols, steps = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
command = sys.argv[sys.argv.index("--") + 1:]


def set_size(fd, r, c):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))


pid, master = os.forkpty()
if pid == 0:
    os.execvp(command[0], command)
set_size(master, rows, cols)
output = b""


def read_until(deadline, want_prompts=None):
    """Reads the screen until `want_prompts` prompts were shown, the command ended, or time ran out."""
    global output
    while time.time() < deadline and (want_prompts is None or output.count(b"# ") < want_prompts):
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the command and everything it started are gone
                return
            if not chunk:
                return
            output += chunk


for index, step in enumerate(steps):
    read_until(time.time() + 15, index + 1)
    if "resize" in step:
        # The kernel sends SIGWINCH to the terminal's foreground process group (runts).
        set_size(master, *step["resize"])
        time.sleep(0.3)
        os.write(master, b"\n")
    else:
        os.write(master, step["type"].encode())

read_until(time.time() + 15)
_, status = os.waitpid(pid, 0)
print(json.dumps({"output": output.decode(errors="replace").replace("\r", ""), "code": os.waitstatus_to_exitcode(status)}))
