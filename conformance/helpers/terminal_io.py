"""Reading the master side of a pty, shared by the terminal test helpers."""
import os
import select
import time


def read_master(master, output, seconds, enough=lambda output: False):
    """Adds what the terminal shows to `output` (bytes) and returns it, until `enough(output)`,
    the end of the other side (EIO once the last holder of the slave is gone), or `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline and not enough(output):
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    return output
