#!/usr/bin/python3
"""tests/fprintd-enroll.py -- enroll a finger on libfprint's virtual device.

Runs `fprintd-enroll -f FINGER USER` against whatever fprintd
DBUS_SYSTEM_BUS_ADDRESS names (tests/env-fprintd.sh starts one), and plays
the finger: it waits for each enroll stage before it sends the next
`SCAN PRINT` to the virtual device's socket (one command per connection),
because a scan sent before the device waits for it can be lost.  Every wait
is bounded.  Exit 0 when fprintd-enroll reports enroll-completed and exits 0,
1 otherwise (its output goes to stderr).

    tests/fprintd-enroll.py --socket DIR/fp.sock [--finger right-index-finger]
                            [--print print-A] [--timeout 20] USER

Standard library only (no pexpect, no socat).
"""

import argparse
import os
import pty
import re
import select
import socket
import subprocess
import sys
import time

# fprintd-enroll prints "Enroll result: <status>" for each scan.
CONTINUE = {"enroll-stage-passed", "enroll-retry-scan", "enroll-swipe-too-short",
            "enroll-finger-not-centered", "enroll-remove-and-retry"}
RESULT = re.compile(rb"Enroll result: ([a-z-]+)")


def send(path, command, deadline):
    """One command, one connection; retried while the device is not open."""
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(path)
            s.sendall(command.encode())
            s.shutdown(socket.SHUT_WR)
            while s.recv(256):
                pass
            return
        except (ConnectionRefusedError, FileNotFoundError) as e:
            if time.monotonic() > deadline:
                raise OSError("cannot send %r to %s: %s" % (command, path, e))
            time.sleep(0.05)
        finally:
            s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--finger", default="right-index-finger")
    ap.add_argument("--print", dest="print_id", default="print-A")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds for the whole enrollment")
    ap.add_argument("--max-scans", type=int, default=12)
    ap.add_argument("user")
    a = ap.parse_args()

    deadline = time.monotonic() + a.timeout
    # A pty for its output: it is line-buffered there whatever it does.
    master, slave = os.openpty()
    proc = subprocess.Popen(["fprintd-enroll", "-f", a.finger, a.user],
                            stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, start_new_session=True)
    os.close(slave)
    out = b""

    def read_until(pred, what):
        nonlocal out
        while not pred(out):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out waiting for " + what)
            r, _, _ = select.select([master], [], [], min(left, 0.2))
            if r:
                try:
                    data = os.read(master, 4096)
                except OSError:         # EIO: fprintd-enroll has gone
                    data = b""
                if not data:
                    if pred(out):
                        return
                    raise EOFError("fprintd-enroll exited while waiting for " + what)
                out += data

    ok = False
    try:
        read_until(lambda o: b"Enrolling " in o, "the enroll to start")
        for n in range(a.max_scans):
            seen = len(RESULT.findall(out))
            send(a.socket, "SCAN " + a.print_id, deadline)
            read_until(lambda o: len(RESULT.findall(o)) > seen,
                       "the result of scan %d" % (n + 1))
            status = RESULT.findall(out)[seen].decode()
            if status == "enroll-completed":
                ok = True
                break
            if status not in CONTINUE:
                break
        if ok:      # read the rest until it closes the pty (exits)
            try:
                read_until(lambda o: False, "fprintd-enroll to exit")
            except EOFError:
                pass
    except (TimeoutError, EOFError, OSError) as e:
        sys.stderr.write("fprintd-enroll.py: %s\n" % e)
        ok = False
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            rc = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        os.close(master)

    text = out.decode(errors="replace").replace("\r", "")
    if not ok or rc != 0:
        sys.stderr.write("fprintd-enroll.py: enrolling %s for %s failed "
                         "(exit %s); fprintd-enroll said:\n%s"
                         % (a.finger, a.user, rc, text))
        return 1
    sys.stderr.write("# fprintd: enrolled %s as %s of %s (%d scans)\n"
                     % (a.print_id, a.finger, a.user,
                        len(RESULT.findall(out))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
