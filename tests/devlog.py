#!/usr/bin/env python3
# tests/devlog.py SOCKET OUT READY: a stand-in for the system's syslog
# daemon.  Binds a datagram socket at SOCKET (bound over /dev/log in a
# mount namespace by tests/syslog.sh and bench/unix-run.sh), creates
# READY once it listens, and appends each datagram to OUT as a line,
# until one ends in "daicho-devlog-end" (logger -u SOCKET
# daicho-devlog-end).
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "ab", 0)
open(sys.argv[3], "w").close()
while True:
    d = s.recv(65536)
    if d.endswith(b"daicho-devlog-end"):
        break
    out.write(d + b"\n")
