#!/usr/bin/python3
"""A generated corpus of malformed scenarios and flags, replayed against the `civitas` binary (run by ctest).

    malformed_inputs.py CIVITAS [--count N] [--seed S] [--verbose] [--keep DIR]

Nothing here is a stored file: every case is generated from the shipped scenarios (scenarios/*.toml) and from
the parameter table that `civitas params` prints (key, type, range), deterministically from --seed, into a
fresh temporary directory, one sub-directory per case. Each case runs the binary once, with a timeout, and
checks what the README promises of bad input:

- the exit code: 2 for a bad scenario, flag or output path; 3 for a run file that cannot be read (missing,
  corrupt, truncated); never 4 (internal error), never a signal, never a hang;
- the message names the place: for a TOML syntax error `FILE:LINE:COL` with the line and column of the fault
  the generator injected (computed here, not read back from the binary); for a bad value the `FILE:LINE:COL`
  of the key or of its value (the reader points at the value; both are on the key's line) and the key's
  dotted name; for an override `--set:N:COL`; for a flag the flag's name; for a file the path;
- stderr stays bounded (at most ~100 error lines and a count of the rest, a few tens of KB), and so does
  stdout; a stream that passes 1 MiB is cut and counted as a failure;
- nothing is left behind: after a rejected run no output file (`.h5`, `.partial`, report, key) exists; after
  an accepted run exactly the expected outputs; device nodes and FIFOs given as outputs are still what they
  were.

Families (one function each, see `FAMILIES`):
- toml_syntax: faults injected at known places into copies of the shipped scenarios (unterminated strings,
  bad escapes, duplicate keys and tables, a missing '=', stray characters, invalid UTF-8, NUL and other
  control characters, CR/CRLF variants, very long lines);
- truncation: every N-th byte of every shipped scenario as the end of the file; the generator parses the
  shipped line structure, so it knows whether the prefix is valid TOML (then it must run), cut inside a token
  (then the error is at the end of the file) or cut inside a number (then the shorter number is range
  checked);
- value_types / value_ranges / value_extremes / text_values / unknown_names / overrides: for every parameter
  of `civitas params`: wrong TOML types, values at and just beyond each bound (inclusive or exclusive as
  printed; a value at an inclusive bound must be accepted, checked without running by a sentinel error later
  in the file), 2^63, -2^63-1, 1e400, NaN and infinities, empty and over-long strings, unknown enum choices,
  unknown keys and tables (1,000+ in one file: the errors must be capped), the same through `--set`;
- cross_field: the rules of engine/driver/registry.cpp (graph degree, shares summing past 1, grade order,
  money overflowing 64 bits, a population too large for memory, voters beyond the population);
- bounds_run: each parameter at its bounds in a tiny run that actually steps (these must exit 0: an extreme
  but valid value may not crash the engine);
- not_scenarios / run_files: empty files, directories, FIFOs, sockets, device nodes (made here, as root
  only), files over the 1 MiB cap, symbolic-link loops, dangling links, binary blobs, unreadable files (not as
  root), and the same given to verify / inspect / lineage as run files;
- flags: empty values, non-numeric / negative / overflowing numbers, malformed --set and --grid, unknown
  regimes and subcommands, --out into a missing directory, onto a directory, a FIFO, a link, a stale .partial
  or a character device (root only, made here: a real /dev node is never touched), and the calculators.

Runs are kept tiny (a few dozen agents, one to three steps, --out always inside the case's directory) and two
at a time. Where the README and the CLI could be read two ways the choice is a named constant below
(SCENARIO_UNREADABLE_EXIT). Exit status: 0 when every case behaved, 1 otherwise; the summary lists the
failures by kind, then up to 20 of them with their command and first lines of stderr.
"""
import argparse
import concurrent.futures
import math
import os
import random
import re
import resource
import selectors
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCENARIO_DIR = os.path.join(REPO, "scenarios")

# README "Exit codes".
EXIT_OK, EXIT_MISMATCH, EXIT_INPUT, EXIT_DATA, EXIT_INTERNAL, EXIT_WRITE = 0, 1, 2, 3, 4, 5
# A scenario argument that names no readable regular file (missing, a directory, a FIFO, a link loop, no
# permission). The README lists "scenario" under 2 (bad input) and "a file that cannot be read (missing, ...)"
# under 3; the CLI, its tests and commit c59d397 use 2 for every scenario problem and 3 for run files. Pinned
# to 2 here; change this one constant if the README is meant the other way.
SCENARIO_UNREADABLE_EXIT = EXIT_INPUT
RUN_FILE_UNREADABLE_EXIT = EXIT_DATA

TIMEOUT = 20.0  # seconds per case; every run here takes well under one
STREAM_CAP = 1 << 20  # bytes of stdout or stderr after which output counts as unbounded
MAX_STDERR_LINES = 110  # 100 diagnostics, the "... and N more" line, and a little slack
MAX_STDERR_BYTES = 64 << 10
MAX_DIAGNOSTICS = 100  # engine/params/reader.cpp max_diagnostics
MAX_SCENARIO_BYTES = 1 << 20  # engine/params/reader.cpp max_scenario_bytes
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PHYS_MEMORY = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
SCN = "{D}/s.toml"  # the case's scenario file; {D} is replaced by the case's directory
OUT = "{D}/out.h5"
SENTINEL = "zz_sentinel"  # an unknown table appended to prove that everything before it was accepted


# ---------------------------------------------------------------------------------------------------------
# Cases and their checks


@dataclass
class Case:
    kind: str  # "family.what", for grouping failures
    args: list  # argv after the binary; "{D}" is the case's directory
    expect: object = EXIT_INPUT  # an exit code or a tuple of acceptable ones
    files: dict = field(default_factory=dict)  # name in the case directory -> bytes
    setup: Optional[Callable] = None  # setup(dir): FIFOs, links, devices, ...
    needles: list = field(default_factory=list)  # each a tuple of alternatives, one of which stderr must hold
    forbid: list = field(default_factory=list)  # substrings stderr must not hold
    outputs: tuple = ()  # files an accepted run must create (and the only ones it may create)
    max_errors: Optional[int] = None  # at most this many "error:" lines
    allowed_errors: Optional[list] = None  # when set, every "error:" line must match one of these regexes
    check: Optional[Callable] = None  # check(dir, result) -> list of problems
    timeout: float = TIMEOUT
    why: str = ""  # what is expected, for the report


@dataclass
class Result:
    code: Optional[int]
    out: bytes
    err: bytes
    timed_out: bool
    flooded: bool
    seconds: float


def expand(text, d):
    return text.replace("{D}", d)


def run_capped(argv, cwd, env, timeout):
    """Runs argv, reading both streams as they come, killing it on timeout or past STREAM_CAP bytes."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    data = {out_fd: bytearray(), err_fd: bytearray()}
    for stream in (proc.stdout, proc.stderr):
        sel.register(stream, selectors.EVENT_READ)
    timed_out = flooded = False
    open_streams = 2
    while open_streams and not flooded:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            timed_out = True
            break
        for key, _ in sel.select(left):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            buf = data[key.fd]
            buf += chunk
            if len(buf) > STREAM_CAP:
                del buf[STREAM_CAP:]
                flooded = True
    if timed_out or flooded:
        proc.kill()
    try:
        proc.wait(timeout=max(1.0, timeout - (time.monotonic() - start)))
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        proc.wait()
    sel.close()
    proc.stdout.close()
    proc.stderr.close()
    return Result(proc.returncode, bytes(data[out_fd]), bytes(data[err_fd]), timed_out, flooded,
                  time.monotonic() - start)


def listing(d):
    out = set()
    for root, dirs, files in os.walk(d):
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(root, name), d))
    return out


def evaluate(case, res, d, before):
    """Every way the run fell short of the case, as sentences."""
    problems = []
    expected = case.expect if isinstance(case.expect, tuple) else (case.expect,)
    err = res.err.decode("utf-8", "replace")
    if res.timed_out:
        problems.append(f"hang: still running after {case.timeout:.0f} s (killed)")
    elif res.flooded:
        problems.append(f"unbounded output: a stream passed {STREAM_CAP} bytes (killed)")
    elif res.code is not None and res.code < 0:
        try:
            name = signal.Signals(-res.code).name
        except ValueError:
            name = "?"
        problems.append(f"crash: killed by signal {-res.code} ({name})")
    elif res.code not in expected:
        what = {EXIT_INTERNAL: " (internal error)", EXIT_WRITE: " (write failure)"}.get(res.code, "")
        problems.append(f"exit {res.code}{what}, expected {' or '.join(map(str, expected))}")
    lines = err.splitlines()
    if len(lines) > MAX_STDERR_LINES or len(res.err) > MAX_STDERR_BYTES:
        problems.append(f"stderr not bounded: {len(lines)} lines, {len(res.err)} bytes")
    if res.code not in (None, 0) and not err.strip() and not res.timed_out:
        problems.append("failed without a message on stderr")
    if "internal error" in err:
        problems.append("stderr reports an internal error")
    for alternatives in case.needles:
        alts = [expand(a, d) for a in alternatives]
        if not any(a in err for a in alts):
            shown = " | ".join(a.replace(d, "{D}") for a in alts[:4]) + (" | ..." if len(alts) > 4 else "")
            problems.append(f"stderr does not name the place: none of [{shown}]")
    for bad in case.forbid:
        if expand(bad, d) in err:
            problems.append(f"stderr says {bad!r}")
    error_lines = [l for l in lines if l.startswith("error:")]
    if case.max_errors is not None and len(error_lines) > case.max_errors:
        problems.append(f"{len(error_lines)} error lines, expected at most {case.max_errors}")
    if case.allowed_errors is not None:
        pats = [re.compile(expand(p, re.escape(d))) for p in case.allowed_errors]
        extra = [l for l in error_lines if not any(p.search(l) for p in pats)]
        if extra:
            problems.append("unexpected diagnostic: " + extra[0].replace(d, "{D}")[:200])
    after = listing(d)
    created = after - before
    allowed = set(case.outputs) if res.code == 0 else set()
    if created - allowed:
        problems.append("left files behind: " + ", ".join(sorted(created - allowed))[:200])
    if res.code == 0 and EXIT_OK in expected:
        missing = set(case.outputs) - after
        if missing:
            problems.append("accepted but did not write: " + ", ".join(sorted(missing)))
    if case.check:
        problems += case.check(d, res)
    return problems


# ---------------------------------------------------------------------------------------------------------
# The parameter schema, from `civitas params`


@dataclass
class Param:
    path: str
    table: str
    key: str
    type: str  # integer, float, boolean, string, enum
    choices: list
    default: str
    range: str
    lo: object = None
    hi: object = None
    lo_open: bool = False
    hi_open: bool = False
    min_chars: int = 0
    max_chars: Optional[int] = None
    punctuation: Optional[str] = None  # allowed besides A-Z a-z 0-9, when restricted


def load_schema(binary, env):
    text = subprocess.run([binary, "params"], capture_output=True, text=True, timeout=60, check=True,
                          env=env).stdout
    params = []
    for line in text.splitlines():
        m = re.match(r"^(\S+)\s+(integer|float|boolean|string|one of: .*?)\s+default (.*)$", line)
        if not m:
            raise SystemExit(f"cannot read `civitas params` line: {line!r}")
        path, type_text, rest = m.groups()
        if rest.startswith('"'):
            end = 1
            while rest[end] != '"':
                end += 2 if rest[end] == "\\" else 1
            default = rest[:end + 1]
        else:
            default = rest.split()[0]
        rng = rest.rsplit("; range ", 1)[1] if "; range " in rest else ""
        table, key = path.rsplit(".", 1)
        choices = type_text[len("one of: "):].split(", ") if type_text.startswith("one of: ") else []
        p = Param(path, table, key, "enum" if choices else type_text, choices, default, rng)
        if p.type == "integer":
            lo, hi = rng.split(" to ")
            p.lo, p.hi = int(lo), int(hi)
        elif p.type == "float":
            parts = rng.split(", excluding ")
            lo, hi = parts[0].split(" to ")
            p.lo, p.hi = float(lo), float(hi)
            for excluded in parts[1:]:
                if float(excluded) == p.lo:
                    p.lo_open = True
                if float(excluded) == p.hi:
                    p.hi_open = True
        elif p.type == "string":
            m = re.match(r"^(?:(\d+) to (\d+)|at most (\d+)) characters(?:: A-Z a-z 0-9 ?(.*))?$", rng)
            if not m:
                raise SystemExit(f"cannot read the range of {path}: {rng!r}")
            p.min_chars = int(m.group(1) or 0)
            p.max_chars = int(m.group(2) or m.group(3))
            if m.group(4) is not None:
                p.punctuation = m.group(4).replace(" ", "")
        params.append(p)
    return params


# ---------------------------------------------------------------------------------------------------------
# TOML text with known places


def toml_float(x):
    """A float as TOML text that reads back to the same double."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = repr(x)
    return s if any(c in s for c in ".eEn") else s + ".0"


def toml_value(p, v):
    if p.type == "integer":
        return str(v)
    if p.type == "float":
        return toml_float(v)
    if p.type == "boolean":
        return "true" if v else "false"
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Doc:
    """TOML text built line by line, remembering where keys and values start (1-based, in code points)."""

    def __init__(self):
        self.lines = []
        self.at = {}  # tag -> dict(line=, key_cols=set, value_col=, end_col=)

    def line(self, text):
        self.lines.append(text)
        return len(self.lines)

    def preamble(self, rng):
        for _ in range(rng.randrange(4)):
            self.line(rng.choice(["", "# a comment", "   # an indented comment", "\t", "# [run] steps = 5"]))

    def header(self, table, indent="", inner="", tag=None):
        n = self.line(f"{indent}[{inner}{table}{inner}]")
        self.at[tag or "[" + table] = dict(line=n, key_cols={len(indent) + 1, len(indent) + len(inner) + 2},
                                            value_col=len(indent) + 1, end_col=len(indent) + 1)

    def kv(self, key, value, indent="", sp1=" ", sp2=" ", tag=None):
        n = self.line(f"{indent}{key}{sp1}={sp2}{value}")
        cols = {len(indent) + 1}
        if "." in key:  # a dotted key: its last part may be named too
            cols.add(len(indent) + key.rfind(".") + 2)
        vcol = len(indent) + len(key) + len(sp1) + len(sp2) + 2
        self.at[tag or key] = dict(line=n, key_cols=cols, value_col=vcol, end_col=vcol + len(value))
        return n

    def text(self, eol="\n"):
        return (eol.join(self.lines) + eol).encode("utf-8")


def tables_doc(tables, rng=None):
    """{table: [(key, value_text)]} as header-form TOML; places tagged "table.key"."""
    d = Doc()
    if rng:
        d.preamble(rng)
    for table in tables:
        d.header(table)
        for key, value in tables[table]:
            d.kv(key, value, tag=f"{table}.{key}")
    return d


def one_value_doc(rng, table, key, value_text, form=None):
    """One key in one of three TOML spellings, with random whitespace; the place is tagged "value"."""
    d = Doc()
    d.preamble(rng)
    form = form or rng.choice(["header", "header", "dotted", "inline"])
    indent = rng.choice(["", "", "  ", "\t"])
    sp1, sp2 = rng.choice([" ", "", "   "]), rng.choice([" ", "", "  "])
    if form == "header":
        d.header(table, indent=rng.choice(["", " "]), inner=rng.choice(["", "", " "]))
        d.kv(key, value_text, indent, sp1, sp2, tag="value")
    elif form == "dotted":
        d.kv(f"{table}.{key}", value_text, indent, sp1, sp2, tag="value")
    else:
        head = f"{indent}{table}{sp1}={sp2}{{ "
        n = d.line(f"{head}{key} = {value_text} }}")
        vcol = len(head) + len(key) + 4
        d.at["value"] = dict(line=n, key_cols={len(head) + 1, len(indent) + 1}, value_col=vcol,
                             end_col=vcol + len(value_text))
    return d


def place_needles(doc, tag, path=None, which="value"):
    """Acceptable `FILE:LINE:COL:` strings for a diagnostic at a tagged place (key or value column)."""
    at = doc.at[tag]
    cols = set(at["key_cols"]) | ({at["value_col"]} if which in ("value", "both") else set())
    if which == "key":
        cols = set(at["key_cols"])
    suffix = f" {path}" if path else ""
    return tuple(f"{SCN}:{at['line']}:{c}:{suffix}" for c in sorted(cols))


def syntax_needles(line, cols):
    return tuple(f"{SCN}:{line}:{c}:" for c in sorted(set(cols)))


# The tiny run every accepted scenario gets: overrides keep it to a few dozen agents and one step.
TINY = {"run.steps": "1", "population.citizens": "40", "population.firms": "3", "population.charities": "1",
        "society.mean_degree": "4", "daf.voters": "40"}  # DAF voters are distinct citizens: at most the 40


def tiny(exclude=()):
    args = []
    for k, v in TINY.items():
        if k in exclude:
            continue
        args += ["--steps", v] if k == "run.steps" else ["--set", f"{k}={v}"]
    return args + ["--quiet"]


def run_case(kind, text, expect=EXIT_INPUT, needles=(), extra=(), exclude=(), **kw):
    """A `civitas run` of the case's scenario file with the tiny overrides."""
    outputs = ("out.h5",) if expect == EXIT_OK else ()
    return Case(kind, ["run", SCN, *tiny(exclude), *extra, "--out", OUT], expect, files={"s.toml": text},
                needles=list(needles), outputs=outputs, **kw)


# ---------------------------------------------------------------------------------------------------------
# The shipped scenarios as lines


@dataclass
class Line:
    text: str
    kind: str  # blank, comment, header, kv
    table: str = ""
    key: str = ""
    value: str = ""
    vtype: str = ""  # string, integer, float, boolean
    indent: int = 0
    value_col: int = 0  # 1-based


def model_scenario(text):
    """The shipped file's lines, or None when it uses TOML this generator does not model."""
    out, table = [], ""
    for raw in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        if not raw.strip():
            out.append(Line(raw, "blank"))
        elif raw.lstrip().startswith("#"):
            out.append(Line(raw, "comment"))
        elif m := re.match(r"^(\s*)\[([A-Za-z0-9_]+)\]\s*$", raw):
            table = m.group(2)
            out.append(Line(raw, "header", table=table, indent=len(m.group(1))))
        elif m := re.match(r"^(\s*)([A-Za-z0-9_]+)(\s*)=(\s*)(.*?)$", raw):
            value = m.group(5)
            if re.fullmatch(r'"[^"\\]*"', value):
                vtype = "string"
            elif re.fullmatch(r"\d+", value):
                vtype = "integer"
            elif re.fullmatch(r"\d+\.\d+", value):
                vtype = "float"
            elif value in ("true", "false"):
                vtype = "boolean"
            else:
                return None
            vcol = len(m.group(1)) + len(m.group(2)) + len(m.group(3)) + len(m.group(4)) + 2
            out.append(Line(raw, "kv", table, m.group(2), value, vtype, len(m.group(1)), vcol))
        else:
            return None
    return out


def shipped_scenarios():
    found = []
    for root, _, files in os.walk(SCENARIO_DIR):
        for f in sorted(files):
            if f.endswith(".toml"):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                lines = model_scenario(text)
                if lines is not None:
                    found.append((os.path.relpath(path, SCENARIO_DIR)[:-5], text, lines))
    return sorted(found)


def join_lines(lines, eol="\n"):
    return (eol.join(lines) + eol).encode("utf-8")


def splice(lines, i, at, insert):
    """The file with bytes inserted into line i (0-based) before character `at` (the lines are ASCII)."""
    encoded = [l.encode("utf-8") for l in lines]
    encoded[i] = encoded[i][:at] + insert + encoded[i][at:]
    return b"\n".join(encoded) + b"\n"


def value_error(p, v):
    """Why the reader rejects a well-typed value v for p, or None."""
    if p.type == "integer":
        return None if p.lo <= v <= p.hi else "is out of range"
    if p.type == "float":
        if isinstance(v, float) and not math.isfinite(v):
            return "expected a finite number"
        low = v <= p.lo if p.lo_open else v < p.lo
        high = v >= p.hi if p.hi_open else v > p.hi
        return "is out of range" if low or high else None
    return None


# ---------------------------------------------------------------------------------------------------------
# Family: TOML syntax errors injected into the shipped scenarios


STRAY = "@$!%^`~&*)|;?<>,\\"
BAD_UTF8 = [b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\x80",
            b"\xf8\x88\x80\x80\x80"]
CONTROL = [b"\x00", b"\x01", b"\x08", b"\x1b", b"\x7f", b"\x0b", b"\x0c"]
BAD_ESCAPES = ["\\q", "\\x41", "\\a", "\\v", "\\0", "\\ ", "\\'", "\\u12G4", "\\uD800", "\\U00110000", "\\u00"]


def family_toml_syntax(ctx, rng):
    cases = []
    for name, _, lines in ctx.shipped:
        raw = [l.text for l in lines]
        kvs = [i for i, l in enumerate(lines) if l.kind == "kv"]
        strings = [i for i in kvs if lines[i].vtype == "string"]
        headers = [i for i, l in enumerate(lines) if l.kind == "header"]
        comments = [i for i, l in enumerate(lines) if l.kind == "comment"]

        def variant(kind, new_lines, line, cols, why, data=None, expect=EXIT_INPUT, needles=None):
            body = data if data is not None else join_lines(new_lines)
            if needles is None:
                needles = [syntax_needles(line, cols)] if expect != EXIT_OK else []
            cases.append(run_case(f"toml.{kind}", body, expect, needles, max_errors=1 if expect else None,
                                  why=f"{name}: {why}"))

        for i in rng.sample(strings, min(2, len(strings))):  # a basic string without its closing quote
            cut = raw[i][:-1]
            variant("unterminated_string", raw[:i] + [cut] + raw[i + 1:], i + 1, [len(cut) + 1],
                    f"line {i + 1} loses its closing quote")
        i = rng.choice(strings)
        l = lines[i]
        lit = raw[i][:l.value_col - 1] + "'" + l.value[1:-1]  # a literal string never closed
        variant("unterminated_literal", raw[:i] + [lit] + raw[i + 1:], i + 1, [len(lit) + 1],
                f"line {i + 1} opens a literal string it never closes")
        # A multi-line string running to the end: its start is the fault; toml++ names the end of the file,
        # accepted too.
        ml = raw[i][:l.value_col - 1] + '"""' + l.value[1:-1]
        new = raw[:i] + [ml] + raw[i + 1:]
        ends = syntax_needles(len(new), [len(new[-1]) + 1, len(new[-1]) + 2]) + syntax_needles(len(new) + 1, [1])
        variant("unterminated_multiline", new, 0, [], f"line {i + 1} opens a multi-line string never closed",
                needles=[syntax_needles(i + 1, [l.value_col]) + ends])

        for esc in rng.sample(BAD_ESCAPES, 3):  # an escape TOML does not have, inside a string
            i = rng.choice(strings)
            l = lines[i]
            content = l.value[1:-1]
            at = rng.randrange(len(content) + 1)
            if esc == "\\u00" and re.match(r"[0-9A-Fa-f]{2}", content[at:]):
                esc = "\\q"  # "\u00" + two hex digits would be a valid escape
            new = raw[i][:l.value_col] + content[:at] + esc + content[at:] + '"'
            bs = l.value_col + 1 + at  # column of the backslash
            # Hex digits that follow a short \u escape are read into it: the fault moves past them.
            extra = len(re.match(r"[0-9A-Fa-f]*", content[at:]).group(0)) if esc.startswith("\\u") else 0
            variant("bad_escape", raw[:i] + [new] + raw[i + 1:], i + 1, range(bs, bs + len(esc) + extra + 1),
                    f"line {i + 1} gets the escape {esc!r} at column {bs}")

        for i in rng.sample(kvs, min(2, len(kvs))):  # a key given twice in its table
            l = lines[i]
            other = {"string": '"other"', "integer": "7", "float": "0.5", "boolean": "false"}[l.vtype]
            dup = raw[i] if rng.random() < 0.5 else raw[i][:l.value_col - 1] + other
            variant("duplicate_key", raw[:i + 1] + [dup] + raw[i + 1:], i + 2, [l.indent + 1, l.value_col],
                    f"line {i + 2} repeats the key {l.key!r} of line {i + 1}")
        i = rng.choice(headers)  # a table opened twice
        indent = rng.choice(["", "  "])
        variant("duplicate_table", raw + [indent + raw[i].strip()], len(raw) + 1, [len(indent) + 1],
                f"the last line reopens table [{lines[i].table}] of line {i + 1}")

        for i in rng.sample(kvs, min(2, len(kvs))):  # "key value", "key == value"
            l = lines[i]
            if rng.random() < 0.6:
                new = " " * l.indent + l.key + " " + l.value
                col = l.indent + len(l.key) + 2
                what = "loses its '='"
            else:
                new = " " * l.indent + l.key + " == " + l.value
                col = l.indent + len(l.key) + 3
                what = "gets '=='"
            variant("missing_equals", raw[:i] + [new] + raw[i + 1:], i + 1, [col], f"line {i + 1} {what}")

        for _ in range(4):  # one stray character where TOML allows none
            c = rng.choice(STRAY)
            where = rng.choice(["line_start", "after_value", "in_header", "after_header", "before_equals",
                                "value_start"])
            if where in ("in_header", "after_header"):
                i = rng.choice(headers)
                l = lines[i]
                if where == "in_header":
                    at = l.indent + 1 + rng.randrange(1, len(l.table))
                else:
                    at = len(raw[i].rstrip())
            else:
                i = rng.choice(kvs)
                l = lines[i]
                at = {"line_start": l.indent, "after_value": len(raw[i]), "before_equals": l.indent + len(l.key),
                      "value_start": l.value_col - 1}[where]
            new = raw[i][:at] + c + raw[i][at:]
            variant("stray_character", raw[:i] + [new] + raw[i + 1:], i + 1, [at + 1],
                    f"line {i + 1} gets {c!r} at column {at + 1} ({where})")

        for _ in range(3):  # invalid UTF-8 in a comment, a string, at a line start, after a value
            seq = rng.choice(BAD_UTF8)
            where = rng.choice(["comment", "string", "line_start", "after_value"])
            i = rng.choice({"comment": comments or kvs, "string": strings}.get(where, kvs))
            l = lines[i]
            if where == "comment" and l.kind == "comment":
                at = rng.randrange(1, len(raw[i]) + 1)
            elif where == "string":
                at = l.value_col + rng.randrange(len(l.value) - 1)
            elif where == "line_start":
                at = 0
            else:
                at = len(raw[i])
            variant("invalid_utf8", None, i + 1, [at + 1],
                    f"line {i + 1} gets the bytes {seq!r} at column {at + 1} ({where})", data=splice(raw, i, at, seq))

        for _ in range(3):  # NUL and other control characters
            ch = rng.choice(CONTROL)
            where = rng.choice(["comment", "string", "line_start", "after_value"])
            i = rng.choice({"comment": comments or kvs, "string": strings}.get(where, kvs))
            l = lines[i]
            if where == "comment" and l.kind == "comment":
                at = rng.randrange(1, len(raw[i]) + 1)
            elif where == "string":
                at = l.value_col + rng.randrange(len(l.value) - 1)
            elif where == "line_start":
                at = 0
            else:
                at = len(raw[i])
            variant("control_character", None, i + 1, [at + 1],
                    f"line {i + 1} gets {ch!r} at column {at + 1} ({where})", data=splice(raw, i, at, ch))

        # Line ends: CRLF throughout and on one line are fine; a lone CR, CR CR LF or a CR inside a string
        # are not (the CR is the fault; toml++ names the character after it, accepted too).
        variant("crlf_file", None, 0, [], "every line ends in CRLF", data=join_lines(raw, "\r\n"),
                expect=EXIT_OK)
        i = rng.randrange(len(raw))
        variant("crlf_one_line", None, 0, [], f"line {i + 1} ends in CRLF",
                data=join_lines(raw[:i] + [raw[i] + "\r"] + raw[i + 1:]), expect=EXIT_OK)
        # (a CR before an empty line would make CR LF: the next line must hold something)
        i = rng.choice([j for j in range(len(raw) - 1) if raw[j + 1]])
        data = ("\n".join(raw[:i + 1]) + "\r" + "\n".join(raw[i + 1:]) + "\n").encode()
        variant("lone_cr", None, i + 1, [len(raw[i]) + 1, len(raw[i]) + 2],
                f"line {i + 1} ends in a bare CR", data=data)
        i = rng.randrange(len(raw))
        variant("cr_cr_lf", None, i + 1, [len(raw[i]) + 1, len(raw[i]) + 2], f"line {i + 1} ends in CR CR LF",
                data=join_lines(raw[:i] + [raw[i] + "\r\r"] + raw[i + 1:], "\n"))
        i = rng.choice(strings)
        at = lines[i].value_col + rng.randrange(len(lines[i].value) - 1)
        variant("cr_in_string", raw[:i] + [raw[i][:at] + "\r" + raw[i][at:]] + raw[i + 1:], i + 1, [at + 1],
                f"line {i + 1} gets a CR inside its string at column {at + 1}")

        # Very long lines: a 600,000-character comment is fine (the file stays under 1 MiB); a fault at its
        # end must be placed at its real column.
        i = rng.randrange(len(raw) + 1)
        long_comment = "# " + "x" * 600_000
        variant("long_comment", None, 0, [], f"a 600,002-character comment before line {i + 1}",
                data=join_lines(raw[:i] + [long_comment] + raw[i:]), expect=EXIT_OK)
        variant("long_line_fault", raw[:i] + [long_comment + "\x00"] + raw[i:], i + 1, [len(long_comment) + 1],
                f"a NUL at column {len(long_comment) + 1} of a long comment (line {i + 1})")

    # Literals of half a million characters: refused somewhere within the literal, with a short message.
    for value in ["1" * 500_000, "1" * 500_000 + ".5", "0x" + "F" * 500_000, "1e" + "9" * 500_000,
                  "1_" * 250_000 + "1", "1979-05-27T" + "1" * 500_000, '"' + "x" * 500_000]:
        doc = one_value_doc(rng, "run", "seed", value, form="header")
        at = doc.at["value"]
        cases.append(run_case("toml.long_literal", doc.text(), EXIT_INPUT,
                              [syntax_needles(at["line"], range(at["value_col"], at["end_col"] + 2))],
                              max_errors=1, why=f"run.seed = a {len(value)}-character literal {value[:12]}..."))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Family: truncation at every N-th byte


def family_truncation(ctx, rng):
    cases = []
    total = sum(len(t) for _, t, _ in ctx.shipped)
    stride = max(1, total // 450)
    for name, text, lines in ctx.shipped:
        for cut in range(rng.randrange(stride), len(text), stride):
            prefix = text[:cut]
            n = prefix.count("\n") + 1
            partial = prefix[prefix.rfind("\n") + 1:]
            line = lines[n - 1]
            eof = [len(partial) + 1, len(partial)]
            why = f"{name} cut after byte {cut} (line {n}: {partial[-30:]!r})"
            outcome = None  # None: valid; ("syntax", cols) ; ("range", param)
            if partial.strip() == "" or line.kind in ("blank", "comment") or partial == line.text:
                outcome = None
            elif line.kind == "header":
                outcome = ("syntax", eof)
            else:
                vstart = line.value_col - 1
                vp = partial[vstart:] if len(partial) > vstart else ""
                p = ctx.by_path[f"{line.table}.{line.key}"]
                if not vp or line.vtype in ("string", "boolean") or vp.endswith("."):
                    outcome = ("syntax", eof)
                else:
                    v = int(vp) if re.fullmatch(r"\d+", vp) else float(vp)
                    if p.type == "float":
                        v = float(v)
                    if value_error(p, v):
                        outcome = ("range", p, line, n)
            if outcome is None:
                cases.append(run_case("truncation.valid_prefix", prefix.encode(), EXIT_OK, why=why))
            elif outcome[0] == "syntax":
                cases.append(run_case("truncation.cut_token", prefix.encode(), EXIT_INPUT,
                                      [syntax_needles(n, outcome[1])], max_errors=1, why=why))
            else:
                _, p, line, n = outcome
                cols = [line.indent + 1, line.value_col]
                cases.append(run_case("truncation.cut_number", prefix.encode(), EXIT_INPUT,
                                      [tuple(f"{SCN}:{n}:{c}: {p.path}:" for c in cols)], why=why))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Families over every parameter: types, ranges, extremes, text, names, overrides


WRONG_TYPES = {  # TOML text -> how the reader describes it
    '"12"': "a string", "1.5": "a float", "[1, 2]": "an array", "{ a = 1 }": "a table", "true": "a boolean",
    "1979-05-27": "a date", "07:32:00": "a time", "1979-05-27T07:32:00Z": "a date-time", "12": "an integer",
    "[]": "an array", '["a"]': "an array", '"true"': "a string",
}


def wrong_types_for(p):
    if p.type == "integer":
        return ['"12"', "1.5", "[1, 2]", "{ a = 1 }", "true", "1979-05-27", "07:32:00"]
    if p.type == "float":
        return ['"0.5"', "[1, 2]", "{ a = 1 }", "true", "1979-05-27T07:32:00Z", "[]"]
    if p.type == "boolean":
        return ["12", '"true"', "1.5", "[]", "{ a = 1 }", "1979-05-27"]
    return ["12", "1.5", "true", '["a"]', "{ a = 1 }", "1979-05-27"]


def described(text):
    return WRONG_TYPES.get(text, "a string" if text.startswith('"') else None)


def sentinel_case(kind, doc, p, why, allowed=()):
    """The value is acceptable: the only diagnostic may be the sentinel table appended after it."""
    doc.line("")
    doc.header(SENTINEL, tag="sentinel")
    at = doc.at["sentinel"]
    sentinel = re.escape(f"error: {SCN}:{at['line']}:2: unknown section \"{SENTINEL}\"").replace(
        re.escape("{D}"), "{D}")
    return run_case(kind, doc.text(), EXIT_INPUT, [(f"{SCN}:{at['line']}:2:",)], allowed_errors=[sentinel, *allowed],
                    forbid=[f" {p.path}: "], why=why)


def memory_allowance(p, v):
    """The memory rule may fire on this machine for a population at its upper bound."""
    if p.path == "population.citizens" and 200.0 * v > 0.9 * PHYS_MEMORY:
        return [r"this population needs about"]
    if p.path == "run.shards" and v > 1:  # a sharded run's own rules: shards <= agents, simultaneous activation
        return [r"exceeds population.citizens", r"needs run.activation"]
    return []


def family_value_types(ctx, rng):
    cases = []
    for p in ctx.params:
        for text in rng.sample(wrong_types_for(p), 3):
            doc = one_value_doc(rng, p.table, p.key, text)
            got = described(text)
            needles = [place_needles(doc, "value", p.path)]
            if got:
                needles.append((f"got {got}",))
            cases.append(run_case("types.wrong_type", doc.text(), EXIT_INPUT, needles, max_errors=1,
                                  why=f"{p.path} ({p.type}) = {text}"))
        if rng.random() < 0.25:  # a table where the value goes, as a header: [table.key]
            d = Doc()
            d.preamble(rng)
            d.header(f"{p.table}.{p.key}", tag="sub")
            d.kv("a", "1")
            at = d.at["sub"]
            cols = at["key_cols"] | {len(p.table) + 3}
            cases.append(run_case("types.table_header_for_value", d.text(), EXIT_INPUT,
                                  [tuple(f"{SCN}:{at['line']}:{c}: {p.path}" for c in sorted(cols)),
                                   ("got a table",)], max_errors=1, why=f"[{p.path}] as a table"))
    return cases


def float_outward(x, toward):
    return math.nextafter(x, toward)


def family_value_ranges(ctx, rng):
    cases = []
    for p in ctx.params:
        if p.type == "integer":
            probes = [(p.lo - 1, False), (p.hi + 1, False), (p.lo, True), (p.hi, True)]
            if p.lo > INT64_MIN + 1000:
                probes.append((p.lo - 1 - rng.randrange(1000), False))
        elif p.type == "float":
            probes = [(p.lo, not p.lo_open), (p.hi, not p.hi_open),
                      (float_outward(p.lo, -math.inf), False), (float_outward(p.hi, math.inf), False)]
            if p.lo_open:
                probes.append((float_outward(p.lo, math.inf), True))
            if p.hi_open:
                probes.append((float_outward(p.hi, -math.inf), True))
            if p.lo == 0:
                probes.append((-0.0, not p.lo_open))
        else:
            continue
        for v, ok in probes:
            if p.type == "integer" and not INT64_MIN <= v <= INT64_MAX:
                continue
            text = toml_value(p, v)
            doc = one_value_doc(rng, p.table, p.key, text)
            why = f"{p.path} = {text} (range {p.range})"
            if ok:
                cases.append(sentinel_case("ranges.at_bound_accepted", doc, p, why, memory_allowance(p, v)))
            else:
                cases.append(run_case("ranges.beyond_bound", doc.text(), EXIT_INPUT,
                                      [place_needles(doc, "value", p.path), ("is out of range",)], max_errors=1,
                                      why=why))
    return cases


INT_EXTREMES = [("9223372036854775808", "syntax"), ("-9223372036854775809", "syntax"),
                ("99999999999999999999999999", "syntax"), ("0xFFFFFFFFFFFFFFFF", "syntax"), ("1e400", "syntax"),
                ("9223372036854775807", "value"), ("-9223372036854775808", "value"),
                ("0x7FFFFFFFFFFFFFFF", "value")]
FLOAT_EXTREMES = [("1e400", "syntax"), ("-1e400", "syntax"), ("nan", "finite"), ("+nan", "finite"),
                  ("-nan", "finite"), ("inf", "finite"), ("+inf", "finite"), ("-inf", "finite"),
                  ("1.7976931348623157e308", "value"), ("-1.7976931348623157e308", "value")]


def family_value_extremes(ctx, rng):
    cases = []
    for p in ctx.params:
        if p.type not in ("integer", "float"):
            continue
        pool = INT_EXTREMES if p.type == "integer" else FLOAT_EXTREMES
        for text, how in rng.sample(pool, 3):
            doc = one_value_doc(rng, p.table, p.key, text)
            at = doc.at["value"]
            why = f"{p.path} = {text}"
            if how == "syntax":  # toml++ refuses the literal: anywhere within it, or just after
                needles = [syntax_needles(at["line"], range(at["value_col"], at["end_col"] + 1))]
                cases.append(run_case("extremes.unrepresentable", doc.text(), EXIT_INPUT, needles, max_errors=1,
                                      why=why))
                continue
            v = int(text, 0) if p.type == "integer" else float(text)
            if how == "finite":
                needles = [place_needles(doc, "value", p.path), ("expected a finite number",)]
            elif value_error(p, v):
                needles = [place_needles(doc, "value", p.path), ("is out of range",)]
            else:
                cases.append(sentinel_case("extremes.in_range", doc, p, why, memory_allowance(p, v)))
                continue
            cases.append(run_case("extremes.rejected", doc.text(), EXIT_INPUT, needles, max_errors=1, why=why))
    return cases


def family_text_values(ctx, rng):
    cases = []
    for p in ctx.params:
        if p.type == "string":
            probes = [("", p.min_chars == 0), ("''", p.min_chars == 0), ("x" * p.max_chars, True),
                      ("x" * (p.max_chars + 1), False), ("é" * p.max_chars, p.punctuation is None),
                      ("é" * (p.max_chars + 1), False), ("y" * 300_000, False)]
            if p.punctuation is not None:
                probes += [("a b", False), ("a/b", False), ("a\tb", False), ("a" + p.punctuation[:1] + "b", True)]
            for value, ok in probes:
                text = value if value == "''" else toml_value(p, value)
                doc = one_value_doc(rng, p.table, p.key, text)
                why = f"{p.path} = {text[:40]}{'...' if len(text) > 40 else ''} ({p.range})"
                if ok:
                    cases.append(sentinel_case("text.accepted", doc, p, why))
                else:
                    cases.append(run_case("text.rejected", doc.text(), EXIT_INPUT,
                                          [place_needles(doc, "value", p.path)], max_errors=1, why=why))
        elif p.type == "enum":
            wrong = ["", p.choices[0].upper(), p.choices[0][:-1], p.choices[0] + " ", "z" * 5000,
                     rng.choice([c for q in ctx.params if q.type == "enum" and q is not p for c in q.choices
                                 if c not in p.choices] or ["nope"])]
            for value in rng.sample(wrong, 3):
                doc = one_value_doc(rng, p.table, p.key, toml_value(p, value))
                cases.append(run_case("text.unknown_choice", doc.text(), EXIT_INPUT,
                                      [place_needles(doc, "value", p.path), ("is not one of",)], max_errors=1,
                                      why=f"{p.path} = {value[:30]!r}"))
            doc = one_value_doc(rng, p.table, p.key, toml_value(p, rng.choice(p.choices)))
            cases.append(sentinel_case("text.valid_choice", doc, p, f"{p.path} = a listed choice"))
    return cases


def swap_typo(key, rng):
    if len(key) < 3:
        return key + "x"
    i = rng.randrange(len(key) - 1)
    if key[i] == key[i + 1]:
        return key[:i] + key[i + 1:]
    return key[:i] + key[i + 1] + key[i] + key[i + 2:]


def family_unknown_names(ctx, rng):
    cases = []
    tables = sorted({p.table for p in ctx.params})
    known = {p.path for p in ctx.params}
    for table in tables:
        keys = [p.key for p in ctx.params if p.table == table]
        key = rng.choice(keys)
        typo = swap_typo(key, rng)
        if f"{table}.{typo}" not in known:
            doc = one_value_doc(rng, table, typo, "1")
            cases.append(run_case("names.unknown_key_typo", doc.text(), EXIT_INPUT,
                                  [place_needles(doc, "value", which="key"), (f'unknown key "{table}.{typo}"',),
                                   ("did you mean",)], max_errors=1, why=f"{table}.{typo} (a typo of {key})"))
        other = rng.choice([t for t in tables if t != table])
        if f"{other}.{key}" not in known:  # the right key in the wrong table: the did-you-mean names a real one
            doc = one_value_doc(rng, other, key, "1")
            homes = tuple(f'did you mean "{q.path}"' for q in ctx.params if q.key == key)
            cases.append(run_case("names.key_in_wrong_table", doc.text(), EXIT_INPUT,
                                  [place_needles(doc, "value", which="key"), (f'"{other}.{key}"',), homes],
                                  max_errors=1, why=f"{other}.{key} (it lives in [{table}])"))
        d = Doc()
        d.preamble(rng)
        d.header(table + "s", tag="t")
        d.kv("a", "1")
        at = d.at["t"]
        cases.append(run_case("names.unknown_table", d.text(), EXIT_INPUT,
                              [tuple(f"{SCN}:{at['line']}:{c}: unknown section" for c in sorted(at["key_cols"]))],
                              max_errors=1, why=f"[{table}s]"))
        d = Doc()
        d.header(f"{table}.extra", tag="t")
        d.kv("a", "1")
        cases.append(run_case("names.unknown_subtable", d.text(), EXIT_INPUT,
                              [(f"{SCN}:1:{len(table) + 3}: unknown section \"{table}.extra\"",
                                f"{SCN}:1:1: unknown section", f"{SCN}:1:2: unknown section")],
                              max_errors=1, why=f"[{table}.extra]"))
    # A key at the top level, an empty key, and a quoted key holding a dot (one key, not a path).
    cases.append(run_case("names.unknown_root_key", b"zz = 1\n", EXIT_INPUT, [(f"{SCN}:1:1: unknown key",)],
                          why="zz = 1 at the top"))
    cases.append(run_case("names.empty_key", b'[run]\n"" = 1\n', EXIT_INPUT, [(f"{SCN}:2:1:",)], why='"" = 1'))
    quoted = rng.choice(ctx.params)
    cases.append(run_case("names.quoted_dotted_key", f'"{quoted.path}" = 1\n'.encode(), EXIT_INPUT,
                          [(f"{SCN}:1:1: unknown key",)],
                          forbid=[f'"{quoted.path}" (did you mean "{quoted.path}"?)'],
                          why=f'"{quoted.path}" = 1: a key with a dot in it; a did-you-mean must not suggest '
                              "the very same text"))
    # Many unknown names in one file: at most 100 diagnostics, then a count of the rest.
    for count, form in ((1500, "key"), (1200, "table"), (3000, "run_key"), (150, "key")):
        if form == "key":
            text = "".join(f"unknown_{i} = {i}\n" for i in range(count))
        elif form == "table":
            text = "".join(f"[unknown_{i}]\n" for i in range(count))
        else:
            text = "[run]\n" + "".join(f"k{i} = 1\n" for i in range(count))
        extra = count - MAX_DIAGNOSTICS
        cases.append(run_case("names.capped_errors", text.encode(), EXIT_INPUT,
                              [(f"... and {extra} more errors not shown",)], max_errors=MAX_DIAGNOSTICS + 1,
                              why=f"{count} unknown {form}s in one file: 100 errors and a count"))
    # ...and the 100 shown are the first 100 in the file (README: errors in file order).
    text = "".join(f"unknown_{i} = {i}\n" for i in range(150))

    def first_hundred(d, res):
        err = res.err.decode("utf-8", "replace")
        lines = [int(m.group(1)) for m in re.finditer(re.escape(f"{d}/s.toml:") + r"(\d+):", err)]
        if lines != list(range(1, MAX_DIAGNOSTICS + 1)):
            return [f"the diagnostics kept are not the first {MAX_DIAGNOSTICS} lines of the file: lines "
                    f"{lines[:12]}..."]
        return []

    cases.append(run_case("names.capped_errors_in_file_order", text.encode(), EXIT_INPUT, check=first_hundred,
                          why="150 unknown keys: the 100 shown should be lines 1-100"))
    return cases


def family_overrides(ctx, rng):
    """The same value checks through --set PATH=VALUE: the place is --set:N:COL."""
    cases = []
    for p in rng.sample(ctx.params, min(60, len(ctx.params))):
        if p.type == "integer":
            bad = [str(p.hi + 1), "1.5", '"7"', "9223372036854775808", "[1]", "abc", "", "0x", "1e400"]
        elif p.type == "float":
            bad = ["nan", "inf", "-inf", "1e400", toml_float(float_outward(p.hi, math.inf)), "abc", "", "[0.5]"]
        elif p.type == "boolean":
            bad = ["1", "yes", "", '"true"', "[true]"]
        elif p.type == "enum":
            bad = ["", "nope", p.choices[0].upper(), "z" * 3000]
        else:
            bad = ["x" * ((p.max_chars or 10) + 1)] + (["a b", "\udcff"] if p.punctuation is not None else [])
            if p.min_chars:
                bad.append("")
        for value in rng.sample(bad, min(2, len(bad))):
            others = rng.randrange(3)  # some valid overrides before it, to check the index
            pre = []
            for _ in range(others):
                pre += ["--set", "run.seed=7"]
            arg = f"{p.path}={value}"
            col = len(p.path) + 2
            cases.append(Case("overrides.bad_value", ["run", "validation/boltzmann", *pre, "--set", arg,
                                                       *tiny({p.path}), "--out", OUT], EXIT_INPUT,
                              needles=[(f"--set:{others + 1}:{col}: {p.path}:",)], max_errors=1,
                              why=f"--set {arg[:60]!r} after {others} valid --set"))
    for arg, needle in [("", "--set:1:1:"), ("=5", "--set:1:1:"), ("run.steps", "--set:1:1:"),
                        ("nope=1", "--set:1:1: unknown key"), ("run=1", "--set:1:1:"), ("run.=1", "--set:1:1:"),
                        (".steps=1", "--set:1:1:"),
                        ("run.steps=1\nrun.seed=2", "--set:1:11: run.steps"), ("run.stepz=1", "did you mean"),
                        ("Run.Steps=1", "--set:1:1:"), ("population.citizens=", "--set:1:21: population.citizens")]:
        cases.append(Case("overrides.malformed", ["run", "validation/boltzmann", "--set", arg, "--steps", "1",
                                                  "--quiet", "--out", OUT], EXIT_INPUT, needles=[(needle,)],
                          why=f"--set {arg!r}"))
    many = []
    for i in range(400):
        many += ["--set", f"nope{i}=1"]
    cases.append(Case("overrides.capped_errors", ["run", "validation/boltzmann", *many, "--out", OUT], EXIT_INPUT,
                      needles=[("... and 300 more errors not shown",)], max_errors=MAX_DIAGNOSTICS + 1,
                      why="400 unknown --set keys: 100 errors and a count"))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Family: cross-field rules (engine/driver/registry.cpp)


SOCIETY_SMALL = [("run", [("model", '"society"'), ("steps", "2")]),
                 ("population", [("citizens", "40"), ("firms", "3"), ("charities", "1")])]


def society_doc(extra):
    tables = {t: list(kv) for t, kv in SOCIETY_SMALL}
    for path, value in extra:
        table, key = path.rsplit(".", 1)
        kvs = tables.setdefault(table, [])
        kvs[:] = [(k, v) for k, v in kvs if k != key] + [(key, value)]
    return tables_doc(tables)


def family_cross_field(ctx, rng):
    cases = []

    def rule(kind, extra, place, fragment, why, exchange=False):
        if exchange:
            tables = {}
            for path, value in extra:
                t, k = path.rsplit(".", 1)
                tables.setdefault(t, []).append((k, value))
            doc = tables_doc(tables)
        else:
            doc = society_doc(extra)
        needles = [place_needles(doc, place), (fragment,)]
        cases.append(Case(f"cross_field.{kind}", ["run", SCN, "--quiet", "--out", OUT], EXIT_INPUT,
                          files={"s.toml": doc.text()}, needles=needles, max_errors=1, why=why))

    def ok(kind, extra, why):
        doc = society_doc(extra)
        cases.append(Case(f"cross_field.{kind}", ["run", SCN, "--quiet", "--out", OUT], EXIT_OK,
                          files={"s.toml": doc.text()}, outputs=("out.h5",), why=why))

    sf = ("society.social_graph", '"scale_free"')
    rule("scale_free_degree_0", [sf, ("society.mean_degree", "0")], "society.mean_degree", "at least 1",
         "scale_free with mean_degree 0")
    rule("scale_free_alpha_0", [sf, ("society.graph_param", "0.0")], "society.social_graph", "strictly between",
         "scale_free with graph_param 0 (placed at social_graph, the first of the rule's keys set)")
    rule("scale_free_alpha_1", [sf, ("society.graph_param", "1.0")], "society.social_graph", "strictly between",
         "scale_free with graph_param 1")
    ok("scale_free_valid", [sf, ("society.mean_degree", "3"), ("society.graph_param", "0.5")],
       "scale_free with an odd degree and alpha 0.5 runs")
    rule("small_world_odd_degree", [("society.mean_degree", "5")], "society.mean_degree", "even",
         "small_world with mean_degree 5")
    rule("degree_beyond_population", [("society.mean_degree", "40")], "society.mean_degree",
         "at most population.citizens - 2", "mean_degree 40 with 40 citizens")
    ok("degree_at_population_limit", [("society.mean_degree", "38")], "mean_degree 38 with 40 citizens runs")
    rule("degree_two_citizens", [("population.citizens", "2")], "population.citizens",
         "at most population.citizens - 2", "2 citizens with the default degree 10: placed at citizens")
    rule("supply_shares", [("society.raw_share", "0.8")], "society.raw_share", "must not exceed 1",
         "raw_share 0.8 + manufacturer_share 0.3")
    ok("supply_shares_at_one", [("society.raw_share", "0.5"), ("society.manufacturer_share", "0.5")],
       "raw_share 0.5 + manufacturer_share 0.5 = 1 runs")
    rule("spending_shares", [("society.consumption_share", "0.96")], "society.consumption_share",
         "must not exceed 1", "consumption_share 0.96 + donation_share 0.05")
    ok("spending_shares_at_one", [("society.consumption_share", "0.5"), ("society.donation_share", "0.5")],
       "consumption_share 0.5 + donation_share 0.5 = 1 runs")
    rule("feedback_probability", [("society.feedback_base", "0.5")], "society.feedback_base", "must not exceed 1",
         "feedback_base 0.5 + feedback_per_quality 0.7: a probability above 1")
    ok("feedback_probability_at_one", [("society.feedback_base", "0.3"), ("society.feedback_per_quality", "0.7")],
       "feedback_base 0.3 + feedback_per_quality 0.7 = 1 runs")
    rule("staff_sentiment_percentage", [("society.staff_sentiment_base", "61")], "society.staff_sentiment_base",
         "must not exceed 100", "staff sentiment 61 + 40: above 100")
    sc = ("governance.regime", '"social_credit"')
    rule("grades_equal", [sc, ("social_credit.grade_a", "1000")], "social_credit.grade_a", "grade_a > grade_b",
         "grade_a = grade_b under social credit")
    rule("grades_b_c", [sc, ("social_credit.grade_c", "1000")], "social_credit.grade_c", "grade_a > grade_b",
         "grade_b = grade_c under social credit")
    ok("grades_unread", [("social_credit.grade_a", "1000")], "disordered grades under the market are not read")
    rule("genesis_cash_overflow", [("population.citizens", "2000000"), ("society.cash_citizen", "1000000000000")],
         "society.cash_citizen", "exceeds 2^60", "2,000,000 citizens with 10^12 cash each")
    rule("government_cash_overflow", [("society.cash_government_per_citizen", "1000000000000"),
                                      ("population.citizens", "2000000")], "society.cash_government_per_citizen",
         "exceeds 2^60",
         "government cash 10^12 per citizen for 2,000,000 citizens")
    rule("exchange_money_overflow", [("exchange.initial_cash", "1000000000000"), ("population.citizens", "5000000")],
         "exchange.initial_cash", "exceeds 2^62", "5,000,000 citizens with 10^12 each", exchange=True)
    if 900.0 * 1e8 > 0.9 * PHYS_MEMORY:
        rule("memory_society", [("population.citizens", "100000000")], "population.citizens",
             "GB of memory", "a society of 10^8 citizens (about 90 GB)")
    if 900.0 * 1e7 + 4000.0 * 1e7 > 0.9 * PHYS_MEMORY:
        rule("memory_firms", [("population.firms", "10000000")], "population.citizens", "GB of memory",
             "10^7 firms (about 49 GB; placed at citizens, the first of the rule's keys the file sets)")
    if 200.0 * 1e8 > 0.9 * PHYS_MEMORY:
        rule("memory_exchange", [("population.citizens", "100000000")], "population.citizens", "GB of memory",
             "an exchange of 10^8 citizens (about 20 GB)", exchange=True)
    rec = ("run.model", '"reciprocity"')
    rule("reciprocity_benefit_not_above_cost", [rec, ("reciprocity.benefit", "1")], "reciprocity.benefit",
         "must exceed reciprocity.cost", "benefit 1 = cost 1: no donation game", exchange=True)
    rule("reciprocity_shares", [rec, ("reciprocity.share_alld", "0.2")], "reciprocity.share_alld",
         "must not exceed 1", "share_discriminator 0.9 + share_alld 0.2", exchange=True)
    rule("reciprocity_odd_degree", [rec, ("population.citizens", "40"), ("reciprocity.mean_degree", "5")],
         "reciprocity.mean_degree", "even", "a reciprocity small world with mean_degree 5", exchange=True)
    rule("reciprocity_money_overflow", [rec, ("population.citizens", "5000000"),
                                        ("reciprocity.initial_cash", "1000000000000")],
         "reciprocity.initial_cash", "exceeds 2^62", "5,000,000 agents with 10^12 each", exchange=True)
    daf = ("governance.regime", '"daf"')
    # Voters are distinct citizens (sampled without replacement), so there cannot be more than the citizens.
    rule("voters_beyond_population", [daf, ("daf.voters", "1000"), ("daf.period", "1")], "daf.voters",
         "exceeds population.citizens", "1,000 voters from 40 citizens")
    rule("voters_max", [daf, ("daf.voters", "100000000"), ("daf.period", "1")], "daf.voters",
         "exceeds population.citizens", "10^8 voters from 40 citizens")
    rule("citizen_proposals_beyond_population", [daf, ("daf.voters", "40"), ("daf.citizen_proposals", "41")],
         "daf.citizen_proposals", "exceeds population.citizens", "41 proposing citizens from 40")
    ok("voters_whole_population", [daf, ("daf.voters", "40"), ("daf.period", "1")],
       "all 40 citizens sampled: the whole population votes")
    # A rule is not piled on a value that already failed: one error, not two.
    rule("rule_after_range_error", [sf, ("society.mean_degree", "1001")], "society.mean_degree", "out of range",
         "mean_degree 1001 (out of range) with scale_free: only the range error")
    # The same rule through --set is placed at the override.
    doc = society_doc([])
    cases.append(Case("cross_field.via_set", ["run", SCN, "--set", "society.mean_degree=5", "--quiet", "--out", OUT],
                      EXIT_INPUT, files={"s.toml": doc.text()},
                      needles=[("--set:1:21:",), ("even",)], max_errors=1, why="--set society.mean_degree=5"))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Family: every parameter at its bounds, in a tiny run that steps


BOUNDS_SKIP = {("run.steps", "hi"), ("population.citizens", "hi"), ("population.firms", "hi"),
               ("population.charities", "hi")}


def bounds_rule(p, v, regime):
    """The cross-field rule a bound trips in the tiny bases below, as (message fragment), or None."""
    if p.path == "society.mean_degree" and v > 38:
        return "at most population.citizens - 2"
    if p.path == "society.mean_degree" and v % 2:
        return "even"
    if p.path == "population.citizens" and v < 6 and regime is not None:
        return "at most population.citizens - 2"
    if p.path == "society.raw_share" and v + 0.3 > 1:
        return "must not exceed 1"
    if p.path == "society.manufacturer_share" and v + 0.2 > 1:
        return "must not exceed 1"
    if p.path == "society.consumption_share" and v + 0.05 > 1:
        return "must not exceed 1"
    if p.path == "society.donation_share" and v + 0.3 > 1:
        return "must not exceed 1"
    if p.path == "run.shards" and v > 1:
        return "exceeds population.citizens" if v > 40 else "needs run.activation"
    if p.path in ("daf.voters", "daf.citizen_proposals") and v > 40:
        return "exceeds population.citizens"
    if p.path == "reciprocity.mean_degree" and v > 38:
        return "at most population.citizens - 2"
    if p.path == "reciprocity.mean_degree" and v % 2:
        return "even"
    if (p.path == "reciprocity.benefit" and v <= 1) or (p.path == "reciprocity.cost" and v >= 5):
        return "must exceed reciprocity.cost"
    if (p.path == "reciprocity.share_discriminator" and v + 0.1 > 1) or (
            p.path == "reciprocity.share_alld" and v + 0.9 > 1):
        return "must not exceed 1"
    pairs = {"society.feedback_base": ("society.feedback_per_quality", 0.7, 1),
             "society.feedback_per_quality": ("society.feedback_base", 0.2, 1),
             "society.staff_sentiment_base": ("society.staff_sentiment_per_conduct", 40, 100),
             "society.staff_sentiment_per_conduct": ("society.staff_sentiment_base", 30, 100),
             "daf.request_min": ("daf.request_spread", 0.18, 1), "daf.request_spread": ("daf.request_min", 0.02, 1)}
    if p.path in pairs and v + pairs[p.path][1] > pairs[p.path][2]:
        return "must not exceed"
    grades = {"social_credit.grade_a": 1050, "social_credit.grade_b": 1000, "social_credit.grade_c": 900}
    if p.path in grades:
        g = dict(grades, **{p.path: v})
        if not g["social_credit.grade_a"] > g["social_credit.grade_b"] > g["social_credit.grade_c"]:
            return "grade_a > grade_b > grade_c"
    return None


def base_for(p):
    """(model, regime) of the tiny run that reads p."""
    regimes = {"social_credit", "daf", "alliance"}
    if p.table in ("run", "output", "exchange") or p.path == "population.citizens":
        return "exchange", None
    if p.table == "reciprocity":
        return "reciprocity", None
    return "society", p.table if p.table in regimes else "market"


def bounds_doc(p, value_text):
    model, regime = base_for(p)
    tables = {"run": [("steps", "3")], "population": [("citizens", "40")]}
    if model == "reciprocity":
        tables["run"].append(("model", '"reciprocity"'))
        tables["reciprocity"] = [("mean_degree", "4"), ("generation", "1")]
    if model == "society":
        tables["run"].append(("model", '"society"'))
        tables["population"] += [("firms", "3"), ("charities", "1")]
        tables["society"] = [("mean_degree", "4"), ("procurement_every", "1")]
        tables["governance"] = [("regime", f'"{regime}"')]
        tables["daf"] = [("period", "1"), ("voters", "40")]  # distinct citizens: at most the 40
        tables["alliance"] = [("period", "1")]
        tables["social_credit"] = [("review_every", "1")]
    kvs = tables.setdefault(p.table, [])
    kvs[:] = [(k, v) for k, v in kvs if k != p.key] + [(p.key, value_text)]
    return tables_doc(tables), regime


def family_bounds_run(ctx, rng):
    cases = []
    for p in ctx.params:
        probes = []
        if p.type == "integer":
            probes = [("lo", p.lo), ("hi", p.hi)]
        elif p.type == "float":
            probes = [("lo", math.nextafter(p.lo, math.inf) if p.lo_open else p.lo),
                      ("hi", math.nextafter(p.hi, -math.inf) if p.hi_open else p.hi)]
        elif p.type in ("enum", "boolean"):
            probes = [("choice", c) for c in (p.choices if p.type == "enum" else [True, False])]
        for which, v in probes:
            if (p.path, which) in BOUNDS_SKIP:
                continue
            text = toml_value(p, v)
            doc, regime = bounds_doc(p, text)
            why = f"{p.path} = {text} in a tiny {base_for(p)[0]} run" + (
                f" under {regime}" if regime else "")
            fragment = bounds_rule(p, v, regime) if which != "choice" else None
            if fragment:
                cases.append(Case("bounds_run.rule", ["run", SCN, "--quiet", "--out", OUT], EXIT_INPUT,
                                  files={"s.toml": doc.text()},
                                  needles=[place_needles(doc, p.path), (fragment,)], why=why + " (a rule refuses it)"))
            else:
                cases.append(Case("bounds_run.runs" if which != "choice" else "bounds_run.choice",
                                  ["run", SCN, "--quiet", "--out", OUT], EXIT_OK, files={"s.toml": doc.text()},
                                  outputs=("out.h5",), why=why))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Family: files that are not scenarios


def make_fifo(name):
    return lambda d: os.mkfifo(os.path.join(d, name))


def make_device(name, major, minor):
    return lambda d: os.mknod(os.path.join(d, name), 0o600 | stat.S_IFCHR, os.makedev(major, minor))


def make_socket(name):
    def setup(d):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(os.path.join(d, name))
        s.close()  # the socket file stays
    return setup


def still(name, test, what):
    def check(d, res):
        path = os.path.join(d, name)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return [f"{name} is gone after the run"]
        return [] if test(mode) else [f"{name} is no longer {what}"]
    return check


def family_not_scenarios(ctx, rng):
    cases = []
    unread = SCENARIO_UNREADABLE_EXIT

    def bad(kind, name, why, expect=unread, needles=None, files=None, setup=None, check=None, arg=None):
        a = arg or "{D}/" + name
        cases.append(Case(f"not_scenario.{kind}", ["run", a, *tiny(), "--out", OUT], expect, files=files or {},
                          setup=setup, needles=needles if needles is not None else [(a + ":",)], check=check,
                          max_errors=1, why=why))

    cases.append(Case("not_scenario.empty_file", ["run", SCN, *tiny(), "--out", OUT], EXIT_OK,
                      files={"s.toml": b""}, outputs=("out.h5",), why="an empty file is a scenario of defaults"))
    cases.append(Case("not_scenario.only_comments", ["run", SCN, *tiny(), "--out", OUT], EXIT_OK,
                      files={"s.toml": b"# nothing\n\n   \t\n# here\n"}, outputs=("out.h5",), why="only comments"))
    cases.append(Case("not_scenario.utf8_bom", ["run", SCN, *tiny(), "--out", OUT], EXIT_OK,
                      files={"s.toml": b"\xef\xbb\xbf[run]\nseed = 3\n"}, outputs=("out.h5",), why="a UTF-8 BOM"))
    bad("directory", "d.toml", "a directory", setup=lambda d: os.mkdir(os.path.join(d, "d.toml")))
    bad("directory_slash", "d.toml/", "a directory with a trailing slash",
        setup=lambda d: os.mkdir(os.path.join(d, "d.toml")), needles=[("{D}/d.toml",)])
    bad("fifo", "f.toml", "a FIFO (must not block)", setup=make_fifo("f.toml"),
        check=still("f.toml", stat.S_ISFIFO, "a FIFO"))
    bad("socket", "u.toml", "a Unix socket", setup=make_socket("u.toml"))
    if IS_ROOT:
        bad("char_device", "zero.toml", "a character device (1,5), made here",
            setup=make_device("zero.toml", 1, 5), check=still("zero.toml", stat.S_ISCHR, "a character device"))
    bad("over_cap", "s.toml", "1 MiB + 1 bytes of comment", files={"s.toml": b"#" * (MAX_SCENARIO_BYTES + 1)},
        needles=[(SCN + ":",), ("1048577 bytes",)])
    cases.append(Case("not_scenario.at_cap", ["run", SCN, *tiny(), "--out", OUT], EXIT_OK,
                      files={"s.toml": b"#" * (MAX_SCENARIO_BYTES - 1) + b"\n"}, outputs=("out.h5",),
                      why="exactly 1 MiB of comment is read"))
    bad("sparse_huge", "s.toml", "a sparse 16 GiB file (must be refused by its size, not read)",
        setup=lambda d: os.truncate(os.path.join(d, "s.toml"), 16 << 30), files={"s.toml": b""})
    bad("symlink_loop", "loop.toml", "a link to itself",
        setup=lambda d: os.symlink(os.path.join(d, "loop.toml"), os.path.join(d, "loop.toml")))
    bad("symlink_cycle", "a.toml", "two links pointing at each other",
        setup=lambda d: (os.symlink("b.toml", os.path.join(d, "a.toml")),
                         os.symlink("a.toml", os.path.join(d, "b.toml"))))
    bad("dangling_symlink", "gone.toml", "a link to nothing",
        setup=lambda d: os.symlink(os.path.join(d, "nowhere.toml"), os.path.join(d, "gone.toml")))
    bad("symlink_to_fifo", "lf.toml", "a link to a FIFO",
        setup=lambda d: (os.mkfifo(os.path.join(d, "f")), os.symlink("f", os.path.join(d, "lf.toml"))))
    bad("missing", "missing.toml", "a file that does not exist", needles=[("{D}/missing.toml",)])
    bad("through_a_file", "s.toml/x.toml", "a path through a regular file", files={"s.toml": b""},
        needles=[("{D}/s.toml/x.toml",)])
    cases.append(Case("not_scenario.symlink_to_valid", ["run", "{D}/l.toml", *tiny(), "--out", OUT], EXIT_OK,
                      files={"s.toml": b"[run]\nseed = 2\n"}, outputs=("out.h5",),
                      setup=lambda d: os.symlink("s.toml", os.path.join(d, "l.toml")), why="a link to a valid file"))
    if not IS_ROOT:
        bad("no_permission", "s.toml", "a file without read permission", files={"s.toml": b"[run]\n"},
            setup=lambda d: os.chmod(os.path.join(d, "s.toml"), 0))
    blobs = [("binary_ff", b"\xff" + bytes(rng.randrange(256) for _ in range(4000)), 1, 1),
             ("png", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)), 1, 1),
             ("gzip", b"\x1f\x8b\x08\x00" + bytes(rng.randrange(256) for _ in range(2000)), 1, 1),
             ("elf", b"\x7fELF\x02\x01\x01" + bytes(2000), 1, 1),
             ("zip", b"PK\x03\x04\x14\x00" * 300, 1, 3),
             ("utf16", "\ufeff[run]\nseed = 1\n".encode("utf-16-le"), 1, 1),
             ("nul_file", bytes(5000), 1, 1)]
    for kind, data, line, col in blobs:
        bad(f"blob_{kind}", "s.toml", f"a {kind} blob: the first fault is at {line}:{col}", expect=EXIT_INPUT,
            files={"s.toml": data}, needles=[(f"{SCN}:{line}:{col}:",)])
    if ctx.fixture:
        bad("blob_hdf5", "s.toml", "a run file (HDF5) given as the scenario", expect=EXIT_INPUT,
            files={"s.toml": ctx.fixture[:65536]}, needles=[(f"{SCN}:1:1:",)])
    readme = os.path.join(SCENARIO_DIR, "validation", "README.md")
    if os.path.exists(readme):
        cases.append(Case("not_scenario.shipped_markdown", ["run", "validation/README.md", *tiny(), "--out", OUT],
                          EXIT_INPUT, needles=[("README.md:",)], max_errors=1,
                          why="a shipped Markdown file named as a scenario"))
    return cases


def family_run_files(ctx, rng):
    """verify / inspect / lineage on files that are not run files: exit 3 naming the path."""
    cases = []
    code = RUN_FILE_UNREADABLE_EXIT
    specs = [("missing", None, {}), ("directory", lambda d: os.mkdir(os.path.join(d, "r.h5")), {}),
             ("fifo", make_fifo("r.h5"), {}), ("empty", None, {"r.h5": b""}),
             ("toml_text", None, {"r.h5": b"[run]\nseed = 1\n"}),
             ("blob", None, {"r.h5": bytes(rng.randrange(256) for _ in range(10000))}),
             ("symlink_loop", lambda d: os.symlink("r.h5", os.path.join(d, "r.h5")), {}),
             ("dangling_symlink", lambda d: os.symlink("nowhere.h5", os.path.join(d, "r.h5")), {})]
    if ctx.fixture:
        n = len(ctx.fixture)
        for share in (0.1, 0.5, 0.9):
            specs.append((f"truncated_{int(share * 100)}", None, {"r.h5": ctx.fixture[:int(n * share)]}))
        specs.append(("truncated_superblock", None, {"r.h5": ctx.fixture[:40]}))
        specs.append(("zeroed", None, {"r.h5": bytes(n)}))
    if IS_ROOT:
        specs.append(("char_device", make_device("r.h5", 1, 5), {}))
    for kind, setup, files in specs:
        for cmd in (["verify"], ["inspect"], ["lineage"], ["verify", "--json"]):
            every_command = ("missing", "fifo", "truncated_50", "blob", "directory", "char_device")
            if kind not in every_command and cmd[0] != "verify":
                continue
            cases.append(Case(f"run_file.{kind}", [*cmd, "{D}/r.h5"], code, files=dict(files), setup=setup,
                              needles=[("{D}/r.h5",)], max_errors=1, why=f"{' '.join(cmd)} on a {kind} run file"))
    return cases


# ---------------------------------------------------------------------------------------------------------
# Family: flags


def family_flags(ctx, rng):
    cases = []
    small = ["validation/boltzmann", "--set", "population.citizens=20", "--quiet"]

    def flag(kind, args, names, why, expect=EXIT_INPUT, **kw):
        cases.append(Case(f"flags.{kind}", args, expect, needles=[tuple(names)], why=why, **kw))

    for f in ("--seed", "--steps", "--ledger", "--out", "--sign"):
        flag("empty_value", ["run", *small, f, "", *(["--out", OUT] if f != "--out" else [])], [f],
             f"run {f} ''")
    flag("empty_scenario", ["run", "", "--quiet", "--out", OUT], ["scenario"], "run ''")
    for value in ["abc", "-1", "1.5", "18446744073709551616", "9223372036854775808", "1e3", '"5"', "0x", "5 5",
                  "--", "\udcff"]:
        flag("bad_seed", ["run", *small, "--seed", value, "--out", OUT], ["--seed"], f"run --seed {value!r}")
    for value in ["0", "-1", "abc", "1.5", "10000001", "9223372036854775808", "1e3", "[1]", "one"]:
        flag("bad_steps", ["run", *small, "--steps", value, "--out", OUT], ["--steps"], f"run --steps {value!r}")
    for value in ["xyz", "FULL", "1", "headers,full"]:
        flag("bad_ledger", ["run", *small, "--ledger", value, "--out", OUT], ["--ledger"], f"--ledger {value!r}")
    for value in ["-1", "abc", "1025", "99999999999", "", "1.5", "18446744073709551617"]:
        flag("bad_threads", ["run", *small, "--steps", "1", "--threads", value, "--out", OUT], ["--threads"],
             f"run --threads {value!r}")
        flag("bad_threads", ["verify", "{D}/none.h5", "--threads", value], ["--threads"],
             f"verify --threads {value!r}")
    sweep = ["sweep", "validation/boltzmann", "--set", "population.citizens=20", "--steps", "1", "--quiet",
             "--out", OUT, "--report", "{D}/rep"]
    compare = ["compare", "regimes/compare", *tiny(), "--out", OUT]
    for value in ["0", "-1", "abc", "100001", "", "99999999999", "1.5"]:
        flag("bad_replicates", [*sweep, "--grid", "run.steps=1,2", "--replicates", value], ["--replicates"],
             f"sweep --replicates {value!r}")
        flag("bad_replicates", [*compare, "--replicates", value], ["--replicates"], f"compare --replicates {value!r}")
    grids = ["", "population.citizens", "population.citizens=", "=1,2", "nope=1,2", "population.citizens=10,,20",
             "population.citizens=a:b:3", "population.citizens=10:20:0", "population.citizens=10:20:-1",
             "population.citizens=10:20:1.5", "exchange.saving_propensity=0:0.5:nan",
             "exchange.saving_propensity=nan:1:3", "exchange.saving_propensity=0:inf:3",
             "population.citizens=10:20:1000000000", "exchange.rule=0:1:3", "population.citizens=10,10",
             "population.citizens=1,2", "exchange.rule=boltzmann,nope", "population.citizens=10:20:1e20",
             "population.citizens=10:20:99999999999999999999", "exchange.saving_propensity=0:0.5:1e300",
             "exchange.saving_propensity=0:0.5:18446744073709551616", "population.citizens=10:20:3:4",
             "run.steps=1,2,", "population.citizens=1e400,20"]
    for g in grids:
        flag("bad_grid", [*sweep, "--grid", g], ["--grid"], f"sweep --grid {g!r}")
    flag("grid_missing", sweep, ["--grid"], "sweep without --grid")
    flag("grid_zip_lengths", [*sweep, "--grid", "run.steps=1,2", "--grid", "exchange.initial_cash=10,20,30", "--zip"], ["--zip"],
         "--zip with 2 and 3 values")
    flag("grid_repeated_key", [*sweep, "--grid", "run.steps=1,2", "--grid", "run.steps=1,2"], ["--grid"],
         "the same key in two --grid: a bad flag, refused before anything runs")
    flag("grid_over_seed", [*sweep, "--grid", "run.seed=5,9", "--replicates", "1"], ["--grid"],
         "--grid run.seed: the seeds are base+replicate, so the grid would be silently ignored")
    # (bases without their own --steps: a second --steps would be refused by the flag parser itself)
    sweep_base = ["sweep", "validation/boltzmann", "--set", "population.citizens=20", "--quiet", "--out", OUT,
                  "--grid", "exchange.initial_cash=1,2"]
    compare_base = ["compare", "regimes/compare", *tiny({"run.steps"}), "--out", OUT]
    for f, value in [("--seed", "abc"), ("--seed", "-1"), ("--steps", "0"), ("--steps", "x")]:
        kind = "bad_seed" if f == "--seed" else "bad_steps"
        flag(kind, [*sweep_base, f, value], [f], f"sweep {f} {value!r}")
        flag(kind, [*compare_base, f, value], [f], f"compare {f} {value!r}")
    for r in ["nope", "", "market,,daf", "market,market", "Market", "market,nope", ",", "market,"]:
        flag("bad_regimes", [*compare, "--regimes", r], ["--regimes"], f"compare --regimes {r!r}")
    flag("compare_non_society", ["compare", "validation/boltzmann", "--set", "population.citizens=20", "--steps",
                                 "1", "--quiet", "--out", OUT, "--regimes", "market,daf"], ["regime", "society"],
         "compare of an exchange scenario: there is no society to put under a regime (README: `the same society "
         "under each regime`)")
    for word in ["frobnicate", "runn", "RUN", "--bogus", "-x"]:
        flag("unknown_subcommand", [word], [word], f"civitas {word}")
    flag("unknown_subcommand", ["calc", "nope"], ["nope"], "civitas calc nope")
    flag("no_subcommand", [], ["subcommand"], "civitas with no arguments")
    flag("extra_positional", ["run", *small, "extra", "--out", OUT], ["extra"], "run SCENARIO extra")
    flag("unknown_flag", ["run", *small, "--no-such-flag", "--out", OUT], ["--no-such-flag"], "run --no-such-flag")
    flag("missing_value", ["run", *small, "--out"], ["--out"], "run ... --out (no value)")
    flag("missing_value", ["run", "--set"], ["--set"], "run --set (no value)")
    for sub in ("verify", "inspect", "lineage"):
        flag("missing_file", [sub], ["file"], f"{sub} without a file")

    # Output paths: refused before anything runs, naming the path, leaving the node as it was.
    run_small = ["run", *small, "--steps", "1"]
    flag("out_missing_dir", [*run_small, "--out", "{D}/no/such/dir/x.h5"], ["{D}/no/such/dir/x.h5"],
         "--out into a missing directory")
    flag("out_directory", [*run_small, "--out", "{D}/d"], ["{D}/d"], "--out naming a directory",
         setup=lambda d: os.mkdir(os.path.join(d, "d")))
    flag("out_fifo", [*run_small, "--out", "{D}/f.h5"], ["{D}/f.h5"], "--out naming a FIFO (must not block)",
         setup=make_fifo("f.h5"), check=still("f.h5", stat.S_ISFIFO, "a FIFO"))
    flag("out_symlink", [*run_small, "--out", "{D}/l.h5"], ["{D}/l.h5"], "--out naming a link",
         setup=lambda d: os.symlink("target.h5", os.path.join(d, "l.h5")),
         check=lambda d, r: [] if not os.path.exists(os.path.join(d, "target.h5")) else ["wrote through the link"])
    flag("out_through_file", [*run_small, "--out", "{D}/file/x.h5"], ["{D}/file/x.h5"], "--out through a file",
         files={"file": b"x"})

    def partial_kept(d, res):
        with open(os.path.join(d, "out.h5.partial"), "rb") as fh:
            return [] if fh.read() == b"stale steps" else ["the stale .partial was changed"]

    flag("out_stale_partial", [*run_small, "--out", OUT], ["{D}/out.h5.partial"], "--out with a stale FILE.partial",
         files={"out.h5.partial": b"stale steps"}, check=partial_kept)
    if IS_ROOT:
        flag("out_char_device", [*run_small, "--out", "{D}/null.h5"], ["{D}/null.h5"],
             "--out naming a character device (1,3) made here", setup=make_device("null.h5", 1, 3),
             check=still("null.h5", stat.S_ISCHR, "a character device"))
        flag("out_char_device", [*sweep[:-4], "--out", "{D}/null.h5", "--grid", "run.steps=1,2"], ["{D}/null.h5"],
             "sweep --out naming a character device made here", setup=make_device("null.h5", 1, 3),
             check=still("null.h5", stat.S_ISCHR, "a character device"))
    flag("sweep_out_directory", [*sweep[:-4], "--out", "{D}/d", "--grid", "run.steps=1,2"], ["{D}/d"],
         "sweep --out naming a directory", setup=lambda d: os.mkdir(os.path.join(d, "d")))
    flag("report_missing_dir", [*sweep[:-2], "--report", "{D}/no/dir/rep", "--grid", "run.steps=1,2"],
         ["{D}/no/dir/rep"], "sweep --report into a missing directory")
    flag("report_fifo", [*compare[:-2], "--out", OUT, "--report", "{D}/rep"], ["{D}/rep.csv"],
         "compare --report onto a FIFO", setup=make_fifo("rep.csv"), check=still("rep.csv", stat.S_ISFIFO, "a FIFO"))
    # Names longer than NAME_MAX (255): a bad output path, refused before anything runs (exit 2), not a
    # failed write after the study (exit 5).
    long_name = "n" * 300
    flag("out_name_too_long", [*run_small, "--out", "{D}/" + long_name + ".h5"], ["{D}/" + long_name],
         "run --out with a 304-character file name")
    flag("out_name_too_long", [*sweep[:-4], "--out", "{D}/" + long_name + ".h5", "--grid", "run.steps=1,2"],
         ["{D}/" + long_name], "sweep --out with a 304-character file name")
    flag("report_name_too_long", [*sweep[:-2], "--report", "{D}/" + long_name, "--grid", "run.steps=1,2"],
         ["{D}/" + long_name], "sweep --report with a 300-character prefix: must be refused before the study runs")
    flag("report_name_too_long", [*compare[:-2], "--out", OUT, "--report", "{D}/" + long_name],
         ["{D}/" + long_name], "compare --report with a 300-character prefix")
    flag("report_directory", [*sweep[:-2], "--report", "{D}/rep", "--grid", "run.steps=1,2"], ["{D}/rep.csv"],
         "sweep --report whose PREFIX.csv is a directory", setup=lambda d: os.mkdir(os.path.join(d, "rep.csv")))
    flag("report_symlink", [*sweep[:-2], "--report", "{D}/rep", "--grid", "run.steps=1,2"], ["{D}/rep.md"],
         "sweep --report whose PREFIX.md is a link", setup=lambda d: os.symlink("elsewhere", os.path.join(d, "rep.md")))
    flag("keygen_existing", ["keygen", "--out", "{D}/k"], ["{D}/k"], "keygen onto an existing file",
         files={"k": b"old"})
    flag("keygen_fifo", ["keygen", "--out", "{D}/k"], ["{D}/k"], "keygen onto a FIFO", setup=make_fifo("k"))
    flag("keygen_missing_dir", ["keygen", "--out", "{D}/no/k"], ["{D}/no/k"], "keygen into a missing directory")
    flag("keygen_empty", ["keygen", "--out", ""], ["--out"], "keygen --out ''")
    for name, setup, files in [("fifo", make_fifo("key.pem"), {}), ("missing", None, {}),
                               ("blob", None, {"key.pem": b"\x00\x01garbage"}), ("empty", None, {"key.pem": b""}),
                               ("huge", None, {"key.pem": b"A" * 100000})]:
        flag("bad_sign_key", [*run_small, "--out", OUT, "--sign", "{D}/key.pem"], ["{D}/key.pem"],
             f"run --sign with a {name} key file", setup=setup, files=dict(files))
        if ctx.fixture:
            flag("bad_verify_key", ["verify", "{D}/r.h5", "--key", "{D}/key.pem"], ["{D}/key.pem"],
                 f"verify --key with a {name} key file", setup=setup, files=dict(files, **{"r.h5": ctx.fixture}))
    if ctx.fixture:
        for f, value in [("--agent", "-1"), ("--agent", "abc"), ("--agent", "99999999"),
                         ("--agent", "18446744073709551616"), ("--lot", "-5"), ("--lot", "x"), ("--agent", ""), ("--lot", "")]:
            wrapped = value.startswith("-") or len(value) > 15  # must not be quoted back as another number
            forbid = ["18446744073709551615", "18446744073709551611"] if wrapped else []
            flag("bad_lineage_flag", ["lineage", "{D}/r.h5", f, value], [f], f"lineage {f} {value!r}",
                 files={"r.h5": ctx.fixture}, forbid=forbid)
    return cases


CALC = {
    "se-ratio": {"--positive": "60", "--neutral": "30", "--negative": "10", "--margin": "10",
                 "--target-population": "1000", "--csr-spend": "1000000", "--service-users": "1000",
                 "--net-assets": "10000000", "--staff": "50", "--co2": "100", "--people": "1000",
                 "--money-leveraged": "500000"},
    "modern-slavery": {"--year": "2018", "--salary": "1000000", "--staff": "50", "--sentiment": "70"},
    "personal-value": {"--worth": "200000", "--co2": "2", "--giving": "1000", "--people": "10"},
}
CALC_INTS = {"--positive", "--neutral", "--negative", "--target-population", "--service-users", "--staff",
             "--people", "--year"}


def family_calc(ctx, rng):
    cases = []
    for sub, flags in CALC.items():
        def args(changes=None, drop=None):
            out = ["calc", sub]
            for f, v in dict(flags, **(changes or {})).items():
                if f != drop:
                    out += [f, v]
            return out

        cases.append(Case("calc.valid", args(), EXIT_OK, why=f"calc {sub} with worked inputs"))
        for f in flags:
            bad = ["abc", "", "nan", "inf", "-inf", "1e400", "12x"]
            if f in CALC_INTS:
                bad += ["-1", "1.5", "99999999999999999999"]
            for v in rng.sample(bad, 4):
                cases.append(Case("calc.bad_value", args({f: v}), EXIT_INPUT, needles=[(f,)],
                                  why=f"calc {sub} {f} {v!r}"))
            if f != "--money-leveraged":
                cases.append(Case("calc.missing_flag", args(drop=f), EXIT_INPUT, needles=[(f,)],
                                  why=f"calc {sub} without {f}"))
    big = str(INT64_MAX)
    cases.append(Case("calc.overflowing_counts", ["calc", "se-ratio", *sum(
        ([f, v] for f, v in dict(CALC["se-ratio"], **{"--positive": big, "--neutral": big, "--negative": "2"}).items()),
        [])], (EXIT_OK, EXIT_INPUT), forbid=["n = 0"],
        why="P+ = P0 = 2^63-1, P- = 2: the sum overflows 64 bits; it is not 'no survey responses'"))
    return cases


FAMILIES = [family_toml_syntax, family_truncation, family_value_types, family_value_ranges, family_value_extremes,
            family_text_values, family_unknown_names, family_overrides, family_cross_field, family_bounds_run,
            family_not_scenarios, family_run_files, family_flags, family_calc]


# ---------------------------------------------------------------------------------------------------------
# Driver


class Context:
    pass


def make_fixture(binary, env, tmp):
    """A small, valid run file, for the run-file cases and as a binary blob."""
    d = os.path.join(tmp, "fixture")
    os.mkdir(d)
    out = os.path.join(d, "run.h5")
    subprocess.run([binary, "run", "validation/random_exchange", "--steps", "3", "--set", "population.citizens=50",
                    "--quiet", "--out", out], env=env, check=True, timeout=60, stdin=subprocess.DEVNULL)
    with open(out, "rb") as fh:
        return fh.read()


def execute(binary, env, tmp, index, case):
    d = os.path.join(tmp, f"c{index:05d}")
    os.mkdir(d)
    for name, data in case.files.items():
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)
    if case.setup:
        try:
            case.setup(d)
        except OSError as e:  # e.g. no mknod in this container: the case cannot be made here
            return index, None, f"{type(e).__name__}: {e}", "", d
    before = listing(d)
    argv = [binary] + [expand(a, d) for a in case.args]
    res = run_capped(argv, d, env, case.timeout)
    problems = evaluate(case, res, d, before)
    command = shlex.join(argv[1:]).replace(d, "$D")
    return index, problems, res, command, d


def compact(text, width=300):
    """A command or message line for the report: long runs of one character shortened, then cut."""
    text = re.sub(r"(.)\1{39,}", lambda m: f"{m.group(1) * 3}...[{len(m.group(0))} x {m.group(1)!r}]", text)
    return text if len(text) <= width else text[:width] + "..."


# Kinds of failure that are known and not yet fixed, with why. Everything else must pass.
# Kinds of failure known and not yet fixed (reported, not failing the test): none at present.
KNOWN_OPEN = {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--count", type=int, default=0, help="run a deterministic sample of N cases (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true", help="print every case")
    ap.add_argument("--keep", help="move the directories of failing cases here")
    ap.add_argument("--jobs", type=int, default=2)
    opts = ap.parse_args()
    binary = os.path.abspath(opts.binary)
    # A safety net for the machine: a run that allocates without end stops at 8 GiB of address space
    # (inherited by every child) and is reported, instead of taking the machine's memory.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = 8 << 30
    if soft == resource.RLIM_INFINITY or soft > cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    env = dict(os.environ, CIVITAS_SCENARIO_DIR=SCENARIO_DIR, LC_ALL="C")
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="civitas_malformed_") as tmp:
        ctx = Context()
        ctx.params = load_schema(binary, env)
        ctx.by_path = {p.path: p for p in ctx.params}
        ctx.shipped = shipped_scenarios()
        try:
            ctx.fixture = make_fixture(binary, env, tmp)
        except (subprocess.SubprocessError, OSError) as e:
            print(f"warning: no fixture run file ({e}); run-file cases skipped")
            ctx.fixture = None
        rng = random.Random(opts.seed)
        cases = []
        for family in FAMILIES:
            cases += family(ctx, random.Random(rng.getrandbits(64)))
        if opts.count and opts.count < len(cases):
            keep = sorted(random.Random(opts.seed).sample(range(len(cases)), opts.count))
            cases = [cases[i] for i in keep]

        failures, outcome = [], {"rejected": 0, "accepted": 0, "skipped": 0}
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            futures = [pool.submit(execute, binary, env, tmp, i, c) for i, c in enumerate(cases)]
            for fut in concurrent.futures.as_completed(futures):
                i, problems, res, command, d = fut.result()
                case = cases[i]
                if problems is None:
                    outcome["skipped"] += 1
                    if opts.verbose:
                        print(f"skip {case.kind:40} {res}")
                    continue
                if problems:
                    failures.append((i, case, problems, res, command))
                    if opts.keep:
                        os.makedirs(opts.keep, exist_ok=True)
                        shutil.move(d, os.path.join(opts.keep, os.path.basename(d)))
                else:
                    outcome["accepted" if res.code == 0 else "rejected"] += 1
                    shutil.rmtree(d, ignore_errors=True)
                if opts.verbose:
                    status = "FAIL" if problems else "ok"
                    print(f"{status:4} {case.kind:40} exit {res.code} {res.seconds:5.2f}s  {compact(command, 150)}")
                    for p in problems:
                        print(f"       {p}")

    failures.sort(key=lambda f: f[0])
    elapsed = time.monotonic() - started
    print(f"\ncivitas malformed inputs: {len(cases)} cases tried in {elapsed:.0f} s: "
          f"{outcome['rejected']} rejected cleanly, {outcome['accepted']} accepted as expected, "
          f"{len(failures)} failing" + (f", {outcome['skipped']} skipped (could not be set up)"
                                        if outcome["skipped"] else ""))
    if failures:
        by_kind = {}
        for f in failures:
            by_kind.setdefault(f[1].kind, []).append(f)
        print("\nfailing cases by kind:")
        for kind, fs in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(fs):5}  {kind:42} e.g. {fs[0][2][0]}")
        shown, seen = [], set()
        for f in failures:  # one of each kind first, then the rest
            if f[1].kind not in seen:
                seen.add(f[1].kind)
                shown.append(f)
        shown += [f for f in failures if f not in shown]
        print(f"\nfirst {min(20, len(shown))} failures ($D is the case's directory):")
        for i, case, problems, res, command in shown[:20]:
            print(f"\n[{case.kind}] {case.why}")
            print(f"  $ civitas {compact(command)}")
            for p in problems:
                print(f"  - {p}")
            err = res.err.decode("utf-8", "replace").splitlines()
            for line in err[:4]:
                print(f"  | {compact(line, 200)}")
    # Known and not yet fixed: reported every run, but only a NEW kind of
    # failure fails the test. Remove an entry when it is fixed, so it stays fixed.
    open_kinds = {k for k in KNOWN_OPEN if any(f[1].kind == k for f in failures)}
    new = [f for f in failures if f[1].kind not in KNOWN_OPEN]
    if open_kinds:
        print("\nknown open (not failing the test): " + "; ".join(f"{k}: {KNOWN_OPEN[k]}" for k in sorted(open_kinds)))
    print(f"new failures: {len(new)}")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
