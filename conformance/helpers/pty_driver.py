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
import struct
import sys
import termios
import time

from terminal_io import read_master

rows, cols, steps = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
command = sys.argv[sys.argv.index("--") + 1:]


def set_size(fd, r, c):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))


pid, master = os.forkpty()
if pid == 0:
    os.execvp(command[0], command)
set_size(master, rows, cols)
output = b""


def at_prompts(count):
    return lambda output: output.count(b"# ") >= count


for index, step in enumerate(steps):
    output = read_master(master, output, 15, at_prompts(index + 1))
    if "resize" in step:
        # The kernel sends SIGWINCH to the terminal's foreground process group (runts).
        set_size(master, *step["resize"])
        time.sleep(0.3)
        os.write(master, b"\n")
    else:
        os.write(master, step["type"].encode())

output = read_master(master, output, 15)
_, status = os.waitpid(pid, 0)
print(json.dumps({"output": output.decode(errors="replace").replace("\r", ""), "code": os.waitstatus_to_exitcode(status)}))
