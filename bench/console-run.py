#!/usr/bin/python3
"""console-run.py -- the real console, end to end, on a pseudo-terminal.

Runs the built daicho on an 80x24 pty (TERM=xterm-256color, LANG=C.UTF-8),
reads what it draws through a small terminal emulator (curses sends only
the cells that change, so the screen is rebuilt here, not grepped), and
prints "name value" lines for bench/run:

    console.start_ms          exec to the login screen ("User:") drawn, on the
                              large ledger: median of the runs
    console.start_ms_max      the slowest of those runs
    console.start_ms_small    the same median on a small ledger
    console.login_ms          Enter on the password to the last-login dialog
    console.ledger_open_ms    the key to the ledger screen, to it drawn with every entry
    console.filter_ms         the slowest keystroke: key written to the
                              screen settled (footer updated, quiet after)
    console.filter_ms_median  the median keystroke
    console.backspace_ms      the slowest Backspace / ^U keystroke
    console.keys              keystrokes measured
    console.rss_mb            VmHWM of the console process, in MiB
    console.rss_now_mb        its VmRSS at the end
    console.ledger_entries    entries in the large ledger as the list shows

The large ledger (BENCH_CONSOLE_ROWS entries, default 600000) is made by
"bench-ledger gen" (init, the demo operators, then person.add), once: with
BENCH_CACHE set it is kept in $BENCH_CACHE/console-ledger-N and reused; it
is copied to a work directory for each run, because logging in appends to
the ledger.  Logging in goes through pam_wrapper with a pam_matrix service
written here (the demo's own stack makes a non-enrolled user wait 2 s for
a fingerprint), holding /tmp/daicho-pam_wrapper.lock meanwhile.

Environment: DAICHO (./daicho), BENCH_LEDGER (./bench/bench-ledger),
BENCH_CONSOLE_ROWS (600000), BENCH_CACHE (unset: generate into the work
directory and remove it), BENCH_CONSOLE_STARTS (10), TMPDIR.
"-v" prints each keystroke and the screens on stderr.
"""

import codecs
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata

ROWS, COLS = 24, 80
PAM_WRAPPER_MODULES = "/usr/lib/x86_64-linux-gnu/pam_wrapper"
PAM_MODULES = "/usr/lib/x86_64-linux-gnu/security"
PAM_LOCK = "/tmp/daicho-pam_wrapper.lock"
USER, PASSWORD = "demo-auditor", "demo"
QUIET = 0.020            # no output for this long: the screen has settled
START_TIMEOUT = 10.0     # per console start
KEY_TIMEOUT = 20.0       # per keystroke
OPEN_TIMEOUT = 120.0     # F4 with every entry
LOCK_TIMEOUT = 900.0     # other tests may hold the pam_wrapper lock

# What each key sends in xterm's application keypad mode (curses turns it
# on with keypad(stdscr, TRUE)).
KEY_ENTER = b"\r"
KEY_BTAB = b"\x1b[Z"
KEY_BACKSPACE = b"\x7f"
KEY_CTRL_U = b"\x15"

# The filter typed on the ledger screen, one key at a time: a word that
# passes nearly every entry, then an employee number narrowing it down.
FILTER_TEXT = "person b0000123"
BACKSPACES = 4
# After ^U, a Japanese word (a common surname in the synthetic people).
FILTER_KANJI = "山本"

VERBOSE = False


class BenchError(Exception):
    pass


def log(*args):
    if VERBOSE:
        print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# A terminal emulator: just enough of xterm for what curses sends with
# TERM=xterm-256color (cursor motion, erase, insert/delete, scroll regions,
# rep, insert mode, the DEC line-drawing set, wide characters).


DEC_GRAPHICS = str.maketrans({
    "`": "◆", "a": "▒", "f": "°", "g": "±", "j": "┘", "k": "┐", "l": "┌",
    "m": "└", "n": "┼", "o": "⎺", "p": "⎻", "q": "─", "r": "⎼", "s": "⎽",
    "t": "├", "u": "┤", "v": "┴", "w": "┬", "x": "│", "y": "≤", "z": "≥",
    "{": "π", "|": "≠", "}": "£", "~": "·",
})

TOKEN = re.compile(r"""
    (?P<text>[^\x00-\x1f\x7f\x1b]+)
  | \x1b\[(?P<priv>[<=>?!]?)(?P<params>[0-9;:]*)(?P<inter>[\x20-\x2f]*)
        (?P<final>[\x40-\x7e])
  | (?P<osc>\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\))
  | \x1b(?P<scs>[()*+])(?P<cs>.)
  | \x1b(?P<esc>[^\[\]P_^()*+])
  | (?P<ctl>[\x00-\x1a\x1c-\x1f\x7f])
""", re.X | re.S)


class Screen:
    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.cells = [[" "] * cols for _ in range(rows)]
        self.cy = self.cx = 0
        self.top, self.bot = 0, rows - 1
        self.wrap_pending = False
        self.autowrap = True
        self.insert = False
        self.graphics = False
        self.saved = (0, 0)
        self.last_char = " "
        self.pending = ""
        self.touched = set()
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.widths = {}

    # -- the text

    def line(self, y):
        return "".join(self.cells[y])

    def dump(self):
        """The screen for a message: no trailing blanks or blank lines."""
        lines = [self.line(y).rstrip() for y in range(self.rows)]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) if lines else "(blank)"

    def find(self, s):
        return any(s in self.line(y) for y in range(self.rows))

    # -- input

    def feed(self, data):
        """Take bytes from the terminal; return the rows they changed."""
        self.touched = set()
        s = self.pending + self.decoder.decode(data)
        self.pending = ""
        i, n = 0, len(s)
        while i < n:
            m = TOKEN.match(s, i)
            if m is None:
                # An escape sequence cut at the end of a read: keep it;
                # anything else unknown: drop the ESC and go on.
                if n - i < 64:
                    self.pending = s[i:]
                    break
                i += 1
                continue
            i = m.end()
            if m.group("text") is not None:
                self.put_text(m.group("text"))
            elif m.group("final") is not None:
                self.csi(m.group("priv"), m.group("params"),
                         m.group("inter"), m.group("final"))
            elif m.group("ctl") is not None:
                self.control(m.group("ctl"))
            elif m.group("scs") is not None:
                if m.group("scs") == "(":
                    self.graphics = m.group("cs") == "0"
            elif m.group("esc") is not None:
                self.escape(m.group("esc"))
            # OSC, DCS and the like: ignored
        return self.touched

    # -- writing

    def width(self, ch):
        w = self.widths.get(ch)
        if w is None:
            if unicodedata.combining(ch) or unicodedata.category(ch) in (
                    "Mn", "Me", "Cf"):
                w = 0
            elif unicodedata.east_asian_width(ch) in ("W", "F"):
                w = 2
            else:
                w = 1
            self.widths[ch] = w
        return w

    def wrap(self):
        self.wrap_pending = False
        if self.autowrap:
            self.cx = 0
            self.linefeed()

    def unsplit(self, row, x):
        """Writing at x: do not leave half of a wide character."""
        if x < self.cols and row[x] == "" and x > 0:
            row[x - 1] = " "
        if x + 1 < self.cols and row[x + 1] == "":
            row[x + 1] = " "

    def put_text(self, s):
        if self.graphics:
            s = s.translate(DEC_GRAPHICS)
        if s.isascii() and not self.insert:
            i, n = 0, len(s)
            while i < n:
                if self.wrap_pending:
                    self.wrap()
                row = self.cells[self.cy]
                take = min(n - i, self.cols - self.cx)
                if row[self.cx] == "" or (self.cx + take < self.cols and
                                          row[self.cx + take] == ""):
                    self.unsplit(row, self.cx)
                    if self.cx + take < self.cols and \
                            row[self.cx + take] == "":
                        row[self.cx + take] = " "
                row[self.cx:self.cx + take] = s[i:i + take]
                self.touched.add(self.cy)
                self.cx += take
                i += take
                if self.cx >= self.cols:
                    self.cx = self.cols - 1
                    self.wrap_pending = True
            self.last_char = s[-1]
            return
        for ch in s:
            self.put_char(ch)

    def put_char(self, ch):
        w = self.width(ch)
        if w == 0:
            return
        if self.wrap_pending:
            self.wrap()
        if w == 2 and self.cx == self.cols - 1:
            if not self.autowrap:
                return
            self.cells[self.cy][self.cx] = " "
            self.wrap()
        row = self.cells[self.cy]
        if self.insert:
            for _ in range(w):
                row.insert(self.cx, " ")
            del row[self.cols:]
        self.unsplit(row, self.cx)
        if w == 2:
            self.unsplit(row, self.cx + 1)
        row[self.cx] = ch
        if w == 2:
            row[self.cx + 1] = ""
        self.touched.add(self.cy)
        self.last_char = ch
        self.cx += w
        if self.cx >= self.cols:
            self.cx = self.cols - 1
            self.wrap_pending = True

    # -- moving and scrolling

    def goto(self, y, x):
        self.cy = max(0, min(self.rows - 1, y))
        self.cx = max(0, min(self.cols - 1, x))
        self.wrap_pending = False

    def blank_rows(self, a, b):
        for y in range(a, b):
            self.cells[y] = [" "] * self.cols
            self.touched.add(y)

    def scroll_up(self, top, bot, n):
        n = min(n, bot - top + 1)
        del self.cells[top:top + n]
        for _ in range(n):
            self.cells.insert(bot - n + 1, [" "] * self.cols)
        self.touched.update(range(top, bot + 1))

    def scroll_down(self, top, bot, n):
        n = min(n, bot - top + 1)
        del self.cells[bot - n + 1:bot + 1]
        for _ in range(n):
            self.cells.insert(top, [" "] * self.cols)
        self.touched.update(range(top, bot + 1))

    def linefeed(self):
        if self.cy == self.bot:
            self.scroll_up(self.top, self.bot, 1)
        elif self.cy < self.rows - 1:
            self.cy += 1

    def reverse_index(self):
        if self.cy == self.top:
            self.scroll_down(self.top, self.bot, 1)
        elif self.cy > 0:
            self.cy -= 1

    def control(self, c):
        if c == "\r":
            self.cx = 0
            self.wrap_pending = False
        elif c in "\n\x0b\x0c":
            self.wrap_pending = False
            self.linefeed()
        elif c == "\b":
            self.wrap_pending = False
            if self.cx > 0:
                self.cx -= 1
        elif c == "\t":
            self.wrap_pending = False
            self.cx = min(self.cols - 1, (self.cx // 8 + 1) * 8)
        elif c == "\x0e":
            self.graphics = True
        elif c == "\x0f":
            self.graphics = False

    def escape(self, c):
        if c == "7":
            self.saved = (self.cy, self.cx)
        elif c == "8":
            self.goto(*self.saved)
        elif c == "M":
            self.wrap_pending = False
            self.reverse_index()
        elif c == "D":
            self.wrap_pending = False
            self.linefeed()
        elif c == "E":
            self.cx = 0
            self.wrap_pending = False
            self.linefeed()
        elif c == "c":
            self.__init__(self.rows, self.cols)
            self.touched = set(range(self.rows))

    def csi(self, priv, params, inter, final):
        p = [int(x) if x.isdigit() else 0
             for x in params.replace(":", ";").split(";")] if params else []

        def arg(i, default=1):
            v = p[i] if i < len(p) else 0
            return v if v > 0 else default

        if inter:
            return                          # ESC[!p and the like
        if priv == "?":
            if final in "hl":
                on = final == "h"
                for v in p:
                    if v == 7:
                        self.autowrap = on
                    elif v in (47, 1047, 1049):
                        self.blank_rows(0, self.rows)
                        if v == 1049 and on:
                            self.goto(0, 0)
            return
        if priv:
            return
        row = self.cells[self.cy]
        if final in "Hf":
            self.goto(arg(0) - 1, arg(1) - 1)
        elif final == "A":
            self.goto(self.cy - arg(0), self.cx)
        elif final == "B":
            self.goto(self.cy + arg(0), self.cx)
        elif final == "C":
            self.goto(self.cy, self.cx + arg(0))
        elif final == "D":
            self.goto(self.cy, self.cx - arg(0))
        elif final == "E":
            self.goto(self.cy + arg(0), 0)
        elif final == "F":
            self.goto(self.cy - arg(0), 0)
        elif final in "G`":
            self.goto(self.cy, arg(0) - 1)
        elif final == "d":
            self.goto(arg(0) - 1, self.cx)
        elif final == "J":
            mode = arg(0, 0)
            if mode == 0:
                self.unsplit(row, self.cx)
                row[self.cx:] = [" "] * (self.cols - self.cx)
                self.touched.add(self.cy)
                self.blank_rows(self.cy + 1, self.rows)
            elif mode == 1:
                self.unsplit(row, self.cx)
                row[:self.cx + 1] = [" "] * (self.cx + 1)
                self.touched.add(self.cy)
                self.blank_rows(0, self.cy)
            else:
                self.blank_rows(0, self.rows)
        elif final == "K":
            mode = arg(0, 0)
            self.unsplit(row, self.cx)
            if mode == 0:
                row[self.cx:] = [" "] * (self.cols - self.cx)
            elif mode == 1:
                row[:self.cx + 1] = [" "] * (self.cx + 1)
            else:
                row[:] = [" "] * self.cols
            self.touched.add(self.cy)
        elif final == "X":
            n = min(arg(0), self.cols - self.cx)
            self.unsplit(row, self.cx)
            if self.cx + n < self.cols and row[self.cx + n] == "":
                row[self.cx + n] = " "
            row[self.cx:self.cx + n] = [" "] * n
            self.touched.add(self.cy)
        elif final == "@":
            n = min(arg(0), self.cols - self.cx)
            self.unsplit(row, self.cx)
            row[self.cx:self.cx] = [" "] * n
            del row[self.cols:]
            if row[-1] != "" and self.width(row[-1]) == 2:
                row[-1] = " "
            self.touched.add(self.cy)
        elif final == "P":
            n = min(arg(0), self.cols - self.cx)
            self.unsplit(row, self.cx)
            if self.cx + n < self.cols and row[self.cx + n] == "":
                row[self.cx + n] = " "
            del row[self.cx:self.cx + n]
            row.extend([" "] * n)
            self.touched.add(self.cy)
        elif final == "L":
            if self.top <= self.cy <= self.bot:
                self.scroll_down(self.cy, self.bot, arg(0))
                self.cx = 0
        elif final == "M":
            if self.top <= self.cy <= self.bot:
                self.scroll_up(self.cy, self.bot, arg(0))
                self.cx = 0
        elif final == "S":
            self.scroll_up(self.top, self.bot, arg(0))
        elif final == "T" and len(p) <= 1:
            self.scroll_down(self.top, self.bot, arg(0))
        elif final == "r":
            top, bot = arg(0) - 1, arg(1, self.rows) - 1
            if 0 <= top < bot < self.rows:
                self.top, self.bot = top, bot
            self.goto(0, 0)
        elif final == "b":
            self.put_text(self.last_char * arg(0))
        elif final == "h" or final == "l":
            if 4 in p:
                self.insert = final == "h"
        elif final == "s" and not p:
            self.saved = (self.cy, self.cx)
        elif final == "u" and not p:
            self.goto(*self.saved)
        # m (attributes), t, n, c, g and the rest: nothing to draw


# ---------------------------------------------------------------------------
# The console on a pty.


class Console:
    """A process on a pseudo-terminal and the screen it draws."""

    def __init__(self, argv, env, name="console"):
        self.name = name
        self.screen = Screen(ROWS, COLS)
        self.eof = False
        self.status = None
        self.nbytes = 0
        self.t_exec = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ,
                            struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            except BaseException as e:
                os.write(2, ("console-run: exec %s: %s\r\n" %
                             (argv[0], e)).encode())
            os._exit(127)
        self.pid, self.fd = pid, fd

    def read(self, timeout, each=None):
        """Read what is there (waiting at most timeout); feed the screen.

        Each read is stamped as it is read, before the (slower) emulation
        of all of it; then each(time, rows changed) is called after that
        read is on the screen.  Returns how many reads there were."""
        if self.eof:
            raise BenchError("%s exited (status %s); the screen:\n%s" %
                             (self.name, self.reap(0), self.screen.dump()))
        chunks = []
        wait = timeout
        while True:
            r, _, _ = select.select([self.fd], [], [], wait)
            if not r:
                break
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if not data:
                self.eof = True
                break
            chunks.append((time.monotonic(), data))
            wait = 0
        for t, data in chunks:
            self.nbytes += len(data)
            touched = self.screen.feed(data)
            if each is not None:
                each(t, touched)
        return len(chunks)

    def send(self, data):
        t = time.monotonic()
        os.write(self.fd, data)
        return t

    def wait_for(self, pred, timeout, what):
        """Read until pred(screen); the time of the read that did it."""
        deadline = time.monotonic() + timeout
        if pred(self.screen):
            return time.monotonic()
        done = []

        def each(t, touched):
            if not done and pred(self.screen):
                done.append(t)

        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError("%s: timed out after %.0f s waiting for "
                                 "%s; the screen:\n%s" %
                                 (self.name, timeout, what,
                                  self.screen.dump()))
            self.read(min(left, 0.5), each)
            if done:
                return done[0]
            if self.eof:
                raise BenchError("%s exited (status %s) waiting for %s; "
                                 "the screen:\n%s" %
                                 (self.name, self.reap(0), what,
                                  self.screen.dump()))

    def settle(self, pred, timeout, what, rows):
        """Read until pred(screen), then until QUIET with no output.

        Returns the time of the last read that changed any of rows (the
        title bar's clock ticks by itself, so a read changing only rows
        outside the ones watched does not count), or of the read that
        made pred true if that was later."""
        deadline = time.monotonic() + timeout
        done, last = [], []

        def each(t, touched):
            if touched & rows:
                last[:] = [t]
            if not done and pred(self.screen):
                done.append(t)

        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError("%s: timed out after %.0f s waiting for "
                                 "%s; the screen:\n%s" %
                                 (self.name, timeout, what,
                                  self.screen.dump()))
            n = self.read(min(left, QUIET if done else 0.5), each)
            if done and n == 0:
                return max(done + last)
            if self.eof:
                raise BenchError("%s exited (status %s) waiting for %s; "
                                 "the screen:\n%s" %
                                 (self.name, self.reap(0), what,
                                  self.screen.dump()))

    def proc_status(self):
        v = {}
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    k, _, rest = line.partition(":")
                    v[k] = rest.strip()
        except OSError as e:
            raise BenchError("%s: /proc/%d/status: %s" %
                             (self.name, self.pid, e))
        return v

    def reap(self, timeout):
        if self.status is not None:
            return self.status
        deadline = time.monotonic() + timeout
        while True:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = os.waitstatus_to_exitcode(st)
                return self.status
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)

    def close(self, grace=5.0):
        """SIGTERM (the console restores the terminal and logs out), then
        SIGKILL to its process group (PAM children) if it lingers."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + grace
            while self.reap(0) is None and time.monotonic() < deadline:
                # Keep the pty drained so the console can write its exit.
                try:
                    r, _, _ = select.select([self.fd], [], [], 0.05)
                    if r and not os.read(self.fd, 65536):
                        pass
                except OSError:
                    pass
            if self.reap(0) is None:
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                self.reap(5.0)
        # Whatever of its process group is left (the console is a session
        # leader on its pty: its group id is its pid).
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


LIVE = []


def spawn(argv, env, name):
    c = Console(argv, env, name)
    LIVE.append(c)
    return c


def finish(c):
    c.close()
    if c in LIVE:
        LIVE.remove(c)


# ---------------------------------------------------------------------------
# The measurements.


def console_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LC_") and k not in (
               "LANG", "LANGUAGE", "TERM", "LINES", "COLUMNS", "NO_COLOR",
               "TERMINFO", "TERMINFO_DIRS", "LD_PRELOAD", "PAM_WRAPPER",
               "PAM_WRAPPER_SERVICE_DIR", "TMUX", "ESCDELAY")}
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    if extra:
        env.update(extra)
    return env


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def login_drawn(s):
    return s.find("User:")


def measure_starts(daicho, dirs, conf, n):
    """console.start_ms: exec to "User:" on the screen, n times (after one
    run not counted, so every counted run finds the same warm caches)."""
    env = console_env()
    times = []
    for i in range(n + 1):
        c = spawn([daicho, "--dir", dirs, "--config", conf], env, "start")
        try:
            t = c.wait_for(login_drawn, START_TIMEOUT, "the login screen")
            ms = (t - c.t_exec) * 1e3
        finally:
            finish(c)
        if i > 0:
            times.append(ms)
        elif VERBOSE:
            log(c.screen.dump())
        log("start %s run %d: %.1f ms%s" % (dirs, i, ms,
                                             " (warm-up)" if i == 0 else ""))
    return times


# "filter: TEXT  SHOWN/TOTAL  marked N", exactly two spaces apart, so a
# filter ending in a space is seen as typed.
FOOTER = re.compile(r"filter: (.*)  (\d+)/(\d+)  marked \d+")


def ledger_footer(s):
    """The list's footer, as (filter, shown, total), or None."""
    for y in range(s.rows - 1, 0, -1):
        m = FOOTER.search(s.line(y))
        if m:
            return m.group(1), int(m.group(2)), int(m.group(3))
    return None


def run_session(c, entries, results):
    """Log in, open the ledger, type, and measure."""
    s = c.screen
    c.wait_for(login_drawn, START_TIMEOUT, "the login screen")
    c.send(USER.encode())
    c.wait_for(lambda s: s.find(USER), KEY_TIMEOUT, "the user name echoed")
    c.send(KEY_ENTER)
    c.wait_for(lambda s: s.find("Password"), KEY_TIMEOUT,
               "the password prompt")
    c.send(PASSWORD.encode())
    t0 = c.send(KEY_ENTER)
    t = c.settle(lambda s: s.find("Last login") or
                 s.find("Authentication failed"), KEY_TIMEOUT,
                 "the last-login dialog", set(range(1, ROWS)))
    if not s.find("Last login"):
        raise BenchError("logging in as %s failed; the screen:\n%s" %
                         (USER, s.dump()))
    results["console.login_ms"] = (t - t0) * 1e3
    log("login: %.1f ms" % results["console.login_ms"])
    log(s.dump())

    c.send(KEY_ENTER)
    c.settle(lambda s: not s.find("Last login"), KEY_TIMEOUT,
             "the last-login dialog to close", set(range(1, ROWS)))

    # The ledger screen reads every entry once for the filter's text.  It
    # is reached with Shift-Tab from the dashboard: the last tabs are
    # Ledger, then Findings, so one or two presses.
    t0 = c.send(KEY_BTAB)
    c.settle(lambda s: s.find("[Findings]") or s.find("[Ledger]"),
             OPEN_TIMEOUT, "a tab after the dashboard", {1})
    if s.find("[Findings]"):
        t0 = c.send(KEY_BTAB)
    t = c.settle(lambda s: (f := ledger_footer(s)) is not None and
                 f[2] >= entries, OPEN_TIMEOUT,
                 "the ledger screen with %d entries" % entries,
                 set(range(1, ROWS - 2)))
    results["console.ledger_open_ms"] = (t - t0) * 1e3
    footer = ledger_footer(s)
    results["console.ledger_entries"] = footer[2]
    log("ledger open: %.1f ms, footer %r" %
        (results["console.ledger_open_ms"], footer))
    log(s.dump())
    st = c.proc_status()
    log("after open: VmHWM %s VmRSS %s" % (st.get("VmHWM"), st.get("VmRSS")))

    # Keystrokes: the key written to the screen settled, the footer showing
    # the new filter and nothing more drawn for QUIET.
    typed, backs = [], []
    text = ""

    def key(data, want, label, into):
        t0 = c.send(data)
        t = c.settle(lambda s: (f := ledger_footer(s)) is not None and
                     f[0] == want, KEY_TIMEOUT,
                     "the footer to show filter %r after %s" % (want, label),
                     set(range(1, ROWS - 2)))
        ms = (t - t0) * 1e3
        into.append(ms)
        f = ledger_footer(s)
        log("key %-6s filter %-18r %7d shown  %6.1f ms" %
            (label, f[0], f[1], ms))

    for ch in FILTER_TEXT:
        text += ch
        key(ch.encode(), text, repr(ch), typed)
    for _ in range(BACKSPACES):
        text = text[:-1]
        key(KEY_BACKSPACE, text, "BS", backs)
    log(s.dump())
    key(KEY_CTRL_U, "", "^U", backs)
    text = ""
    for ch in FILTER_KANJI:
        text += ch
        key(ch.encode(), text, repr(ch), typed)
    for _ in FILTER_KANJI:
        text = text[:-1]
        key(KEY_BACKSPACE, text, "BS", backs)

    every = typed + backs
    results["console.filter_ms"] = max(every)
    results["console.filter_ms_median"] = median(every)
    results["console.filter_ms_typing"] = max(typed)
    results["console.backspace_ms"] = max(backs)
    results["console.keys"] = len(every)

    st = c.proc_status()
    hwm = int(st["VmHWM"].split()[0])
    rss = int(st["VmRSS"].split()[0])
    results["console.rss_mb"] = hwm / 1024
    results["console.rss_now_mb"] = rss / 1024


def write_file(path, text, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def make_pam(pamdir):
    """A password-only service (pam_matrix) for the three demo operators."""
    os.mkdir(pamdir, 0o700)
    passdb = os.path.join(pamdir, "passdb")
    write_file(passdb, "".join("%s:%s:daicho\n" % (u, PASSWORD) for u in
                               ("demo-admin", "demo-approver",
                                "demo-auditor")))
    mod = "%s/pam_matrix.so passdb=%s" % (PAM_WRAPPER_MODULES, passdb)
    write_file(os.path.join(pamdir, "daicho"),
               "auth required %s\naccount required %s\n"
               "password required %s\nsession required %s/pam_permit.so\n" %
               (mod, mod, mod, PAM_MODULES))
    write_file(os.path.join(pamdir, "other"),
               "".join("%s required %s/pam_deny.so\n" % (k, PAM_MODULES)
                       for k in ("auth", "account", "password", "session")))


def gen_ledger(bench_ledger, path, n):
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    t0 = time.monotonic()
    r = subprocess.run([bench_ledger, "gen", tmp, str(n)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=1800)
    if r.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BenchError("%s gen %s %d: exit %d: %s" %
                         (bench_ledger, tmp, n, r.returncode,
                          r.stderr.decode(errors="replace").strip()))
    os.rename(tmp, path)
    return time.monotonic() - t0


def pam_lock():
    f = open(PAM_LOCK, "a")
    deadline = time.monotonic() + LOCK_TIMEOUT
    said = False
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except BlockingIOError:
            if time.monotonic() >= deadline:
                f.close()
                raise BenchError("%s: still held by another after %.0f s" %
                                 (PAM_LOCK, LOCK_TIMEOUT))
            if not said:
                print("# waiting for %s" % PAM_LOCK, file=sys.stderr,
                      flush=True)
                said = True
            time.sleep(0.1)


def main():
    global VERBOSE
    VERBOSE = "-v" in sys.argv[1:]
    daicho = os.path.abspath(os.environ.get("DAICHO", "./daicho"))
    bench_ledger = os.path.abspath(os.environ.get("BENCH_LEDGER",
                                                  "./bench/bench-ledger"))
    entries = int(os.environ.get("BENCH_CONSOLE_ROWS", "600000"))
    starts = int(os.environ.get("BENCH_CONSOLE_STARTS", "10"))
    cache = os.environ.get("BENCH_CACHE")
    for p in (daicho, bench_ledger):
        if not os.access(p, os.X_OK):
            raise BenchError("%s: not an executable (build it first)" % p)
    if not os.path.exists("/usr/lib/x86_64-linux-gnu/libpam_wrapper.so"):
        raise BenchError("libpam_wrapper.so is not installed")

    work = tempfile.mkdtemp(prefix="daicho-console-bench.")
    try:
        return bench(work, daicho, bench_ledger, entries, starts, cache)
    finally:
        for c in list(LIVE):
            finish(c)
        shutil.rmtree(work, ignore_errors=True)


def bench(work, daicho, bench_ledger, entries, starts, cache):
    results = {}
    conf = os.path.join(work, "daicho.conf")
    write_file(conf, "")                        # every setting its default

    # The large ledger: made once, copied for each run.
    if cache:
        os.makedirs(cache, exist_ok=True)
        pristine = os.path.join(cache, "console-ledger-%d" % entries)
    else:
        pristine = os.path.join(work, "pristine")
    if not os.path.isdir(pristine):
        s = gen_ledger(bench_ledger, pristine, entries)
        print("# generated a %d-entry ledger in %.1f s" % (entries, s),
              file=sys.stderr, flush=True)
    big = os.path.join(work, "big")
    shutil.copytree(pristine, big)
    small = os.path.join(work, "small")
    gen_ledger(bench_ledger, small, 1000)

    t_begin = time.monotonic()
    st_small = measure_starts(daicho, small, conf, starts)
    st_big = measure_starts(daicho, big, conf, starts)
    results["console.start_ms"] = median(st_big)
    results["console.start_ms_max"] = max(st_big)
    results["console.start_ms_small"] = median(st_small)
    results["console.start_ms_small_max"] = max(st_small)

    pamdir = os.path.join(work, "pam")
    make_pam(pamdir)
    env = console_env({"LD_PRELOAD": "libpam_wrapper.so", "PAM_WRAPPER": "1",
                       "PAM_WRAPPER_SERVICE_DIR": pamdir})
    t_lock = time.monotonic()
    lock = pam_lock()
    results["console.lock_wait_s"] = time.monotonic() - t_lock
    try:
        c = spawn([daicho, "--dir", big, "--config", conf], env, "console")
        try:
            run_session(c, entries, results)
        finally:
            finish(c)
    finally:
        lock.close()
    # The run's own time, not counting a wait for another's PAM lock.
    results["console.run_s"] = (time.monotonic() - t_begin -
                                results["console.lock_wait_s"])

    for k in ("console.start_ms", "console.start_ms_max",
              "console.start_ms_small", "console.start_ms_small_max",
              "console.login_ms", "console.ledger_open_ms",
              "console.filter_ms", "console.filter_ms_median",
              "console.filter_ms_typing", "console.backspace_ms",
              "console.keys", "console.rss_mb", "console.rss_now_mb",
              "console.ledger_entries", "console.run_s",
              "console.lock_wait_s"):
        v = results[k]
        if isinstance(v, int):
            print("%s %d" % (k, v))
        else:
            print("%s %.1f" % (k, v))
    return 0


if __name__ == "__main__":
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda n, f: sys.exit(128 + n))
    try:
        sys.exit(main())
    except BenchError as e:
        print("console-run: %s" % e, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("console-run: interrupted", file=sys.stderr)
        sys.exit(130)
