#!/usr/bin/env python3
"""Tamper suite for `civitas verify`: every object a reader uses, edited or removed, must be caught.

Usage: tamper_test.py CIVITAS [--verbose]

What it does, all in a fresh temporary directory:
  1. Makes small real runs: the society with snapshots (full log and headers only) and an exchange model,
     one of them signed (`civitas keygen`, `run --sign`).
  2. Walks every dataset and every attribute of each file (h5py) and, for each, tries every edit that
     changes what a reader would see: one element of every field at the first, middle and last row
     (numbers +1, NaN -> 1.0, digests and strings altered), deleting the object, and dropping the last row
     of extendible datasets. `civitas verify` must exit non-zero for every one; an accepted forgery fails.
  3. Flips single bytes all over a complete file and a .partial (HDF5 metadata included): verify must end
     with 1 or 3, never crash or hang (each call has a timeout; HDF5's SWMR retry loop is bounded).
  4. Forges a block the way an attacker who read docs/ledger.md would: moves one unit in a block and
     recomputes every Merkle root, header hash and file seal after it (an independent re-implementation of
     the documented hashing). Default verify must accept it (that is the documented limit, and proves the
     forgery is consistent); `verify --replay` must reject it naming the block and record; `verify --key`
     must reject the forged signed file; a truncated signed file marked incomplete must be rejected too.
  5. SIGKILLs runs at random moments: every .partial left behind verifies as an interrupted run.
Prints the counts (tampers tried / caught, flips tried / clean exits, kills) and exits 1 on any failure.
"""
import hashlib
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

CIVITAS = os.path.abspath(sys.argv[1])
VERBOSE = "--verbose" in sys.argv
failures = []
# A reader call that HDF5 keeps looping on ends with exit 3 after this many seconds (io/read_guard.hpp).
os.environ["CIVITAS_READ_TIMEOUT"] = "10"


def civitas(*args, timeout=120):
    return subprocess.run([CIVITAS, *args], capture_output=True, text=True, timeout=timeout)


def verify(path, *flags, timeout=120):
    r = civitas("verify", *flags, path, timeout=timeout)
    return r.returncode, (r.stdout + r.stderr).strip()


# ---- 2. edit every object ----------------------------------------------------------------------------


def altered(value):
    """A different value of the same type."""
    if isinstance(value, (bytes, np.bytes_)):
        return (b"X" + bytes(value))[: max(1, len(value))] if value else b"X"
    if isinstance(value, str):
        return value + "X"
    if isinstance(value, np.ndarray):
        out = value.copy()
        flat = out.reshape(-1)
        if flat.size:
            flat[0] = altered(flat[0])
        return out
    if isinstance(value, (float, np.floating)):
        return type(value)(1.0) if np.isnan(value) else type(value)(value + 1.0)
    if isinstance(value, (bool, np.bool_)):
        return not value
    if isinstance(value, (int, np.integer)):
        return type(value)(value ^ 1)
    if isinstance(value, np.void):
        raise TypeError("compound handled by the caller")
    raise TypeError(type(value))


def dataset_edits(f, name):
    """(label, function) pairs that each change dataset `name` in a way a reader would see."""
    d = f[name]
    edits = []
    if d.shape == () or d.size == 0:
        return [(f"{name}: delete", lambda g: g.__delitem__(name))]
    rows = sorted({0, d.shape[0] // 2, d.shape[0] - 1})
    fields = d.dtype.names or [None]
    for row in rows:
        for field in fields:
            def edit(g, row=row, field=field):
                ds = g[name]
                value = ds[row]
                if field is None:
                    ds[row] = altered(value)
                else:
                    value = value.copy() if isinstance(value, np.ndarray) else np.array(value)
                    value[field] = altered(value[field][()] if value[field].shape == () else value[field])
                    ds[row] = value
            edits.append((f"{name}[{row}]{'.' + field if field else ''}", edit))
    edits.append((f"{name}: delete", lambda g: g.__delitem__(name)))
    if d.maxshape[0] is None and d.shape[0] > 1:
        edits.append((f"{name}: drop last row", lambda g: g[name].resize(g[name].shape[0] - 1, axis=0)))
    return edits


def attribute_edits(f, obj, key):
    def change(g):
        a = g[obj].attrs
        a[key] = altered(a[key])

    def delete(g):
        del g[obj].attrs[key]

    return [(f"{obj}@{key}", change), (f"{obj}@{key}: delete", delete)]


def all_edits(path):
    edits = []
    with h5py.File(path, "r") as f:
        names = []
        f.visititems(lambda n, o: names.append((n, isinstance(o, h5py.Dataset))))
        objects = ["/"] + [n for n, _ in names]
        for n, is_dataset in names:
            if is_dataset:
                edits += dataset_edits(f, n)
        for obj in objects:
            for key in f[obj].attrs.keys():
                edits += attribute_edits(f, obj, key)
        for n, is_dataset in names:
            if not is_dataset:
                edits.append((f"{n}: delete group", lambda g, n=n: g.__delitem__(n)))
    return edits


def tamper_suite(path, work, flags=()):
    tried = caught = 0
    for label, edit in all_edits(path):
        copy = os.path.join(work, "t.h5")
        shutil.copy(path, copy)
        try:
            with h5py.File(copy, "r+") as g:
                edit(g)
        except (TypeError, ValueError, KeyError, OSError) as e:
            if VERBOSE:
                print(f"  skip {label}: {e}")
            continue
        tried += 1
        code, text = verify(copy, *flags)
        if code in (1, 3):
            caught += 1
        else:
            failures.append(f"tamper not caught ({os.path.basename(path)}): {label}: exit {code}: {text[:200]}")
        if VERBOSE:
            print(f"  {label}: exit {code}: {text[:120]}")
    return tried, caught


# ---- 3. byte flips -----------------------------------------------------------------------------------


def flip_suite(path, work, count, rng, suffix=""):
    size = os.path.getsize(path)
    # Half the flips in the first 8 KiB (superblock and object headers), the rest anywhere.
    positions = [rng.randrange(min(size, 8192)) for _ in range(count // 2)]
    positions += [rng.randrange(size) for _ in range(count - len(positions))]
    clean = 0
    for pos in positions:
        copy = os.path.join(work, "flip.h5" + suffix)
        shutil.copy(path, copy)
        with open(copy, "r+b") as fh:
            fh.seek(pos)
            b = fh.read(1)
            fh.seek(pos)
            fh.write(bytes([b[0] ^ (1 << rng.randrange(8))]))
        try:
            code, text = verify(copy, timeout=60)
        except subprocess.TimeoutExpired:
            failures.append(f"byte flip at {pos} of {os.path.basename(path)}{suffix}: verify hung (> 60 s)")
            continue
        # 0 is possible: a flip in unused bytes or in padding HDF5 never reads.
        if code in (0, 1, 3):
            clean += 1
        else:
            failures.append(f"byte flip at {pos} of {os.path.basename(path)}{suffix}: exit {code}: {text[:200]}")
    return len(positions), clean


# ---- 4. a consistent re-hash forgery -------------------------------------------------------------------

# The canonical record, packed: debit, credit, amount, origin, token, reason, status, flags (no id: it is
# implied by the block and the position; no lineage: a mint's backing is in /ledger/lineage).
RECORD = struct.Struct("<IIqIHHBB")
assert RECORD.size == 26


def sha(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def merkle_root(leaves):
    if not leaves:
        return sha(b"")
    level = list(leaves)
    while len(level) > 1:
        nxt = [sha(b"\x01", level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def chunked_root(data, chunk):
    return merkle_root([sha(b"\x00", data[i:i + chunk]) for i in range(0, len(data), chunk)])


def record_bytes(r):
    return RECORD.pack(int(r["debit"]), int(r["credit"]), int(r["amount"]), int(r["origin"]), int(r["token"]),
                       int(r["reason"]), int(r["status"]), int(r["flags"]))


def header_hash(step, prev, troot, count, rejected, broot, lineage, supplies):
    return sha(b"\x02", struct.pack("<I", step), prev, troot, struct.pack("<QQ", count, rejected), broot, lineage,
               b"".join(struct.pack("<q", int(s)) for s in supplies))


def seal_next(prev, hhash, metrics, snapshot):
    parts = [b"\x07", prev, hhash, struct.pack("<Q", len(metrics)), np.asarray(metrics, "<f8").tobytes()]
    if snapshot is None:
        parts.append(b"\x00")
    else:
        step, balances, scores = snapshot
        parts += [b"\x01", struct.pack("<I", step), struct.pack("<Q", balances.size),
                  np.asarray(balances, "<i8").tobytes(), struct.pack("<Q", scores.size),
                  np.asarray(scores, "<f8").tobytes()]
    return sha(*parts)


def forge(path, out):
    """Adds 1 to the amount of one applied transfer and re-hashes everything after it. Returns (block, pos)."""
    shutil.copy(path, out)
    with h5py.File(out, "r+") as f:
        headers = f["/ledger/headers"][:]
        transfers = f["/ledger/transfers"][:]
        accounts = f["/ledger/accounts"][:]
        series = f["/series"][:]
        counts = headers["transfer_count"].astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)])
        flags = accounts["flags"]

        def balances_after_each_block(records):
            bal = np.zeros(len(accounts), dtype=np.int64)
            out = []
            for s in range(len(headers)):
                for r in records[starts[s]:starts[s + 1]]:
                    if r["status"] == 0:
                        bal[r["debit"]] -= r["amount"]
                        bal[r["credit"]] += r["amount"]
                out.append(bal.copy())
            return out

        # The first applied transfer after genesis whose debit can afford one more unit for the rest of the run.
        original = balances_after_each_block(transfers)
        target = None
        for s in range(1, len(headers)):
            for k in range(starts[s], starts[s + 1]):
                r = transfers[k]
                if r["status"] != 0 or r["token"] != 0:
                    continue
                if flags[r["debit"]] & 1 or all(b[r["debit"]] >= 1 for b in original[s:]):
                    target = (s, k)
                    break
            if target:
                break
        assert target, "no transfer to forge"
        s0, k = target
        transfers[k]["amount"] += 1
        f["/ledger/transfers"][k] = transfers[k]
        balances = balances_after_each_block(transfers)

        snapshot_steps = list(f["/agents/snapshot_steps"][:])
        meta = f["/meta"].attrs
        seals = headers["seal"]
        prev_seal = bytes(seals[s0 - 1])
        prev_hash = bytes(headers["hash"][s0 - 1])
        for s in range(s0, len(headers)):
            h = headers[s]
            block = b"".join(record_bytes(r) for r in transfers[starts[s]:starts[s + 1]])
            troot = chunked_root(block, 64 * RECORD.size)
            broot = chunked_root(balances[s].astype("<i8").tobytes(), 512 * 8)
            supplies = f["/ledger/supplies"][s]
            hh = header_hash(s, prev_hash, troot, int(h["transfer_count"]), int(h["rejected_count"]), broot,
                             bytes(h["lineage_digest"]), supplies)
            snap = None
            if s in snapshot_steps:
                i = snapshot_steps.index(s)
                scores = f["/agents/scores"][i] if "/agents/scores" in f else np.zeros(0)
                snap = (s, f["/agents/balances"][i], scores)
            metrics = [series[s][c] for c in series.dtype.names]
            seal = seal_next(prev_seal, hh, metrics, snap)
            h["prev"] = np.frombuffer(prev_hash, np.uint8)
            h["transfers_root"] = np.frombuffer(troot, np.uint8)
            h["balances_root"] = np.frombuffer(broot, np.uint8)
            h["hash"] = np.frombuffer(hh, np.uint8)
            h["seal"] = np.frombuffer(seal, np.uint8)
            f["/ledger/headers"][s] = h
            prev_hash, prev_seal = hh, seal
        meta["head_hash"] = prev_hash.hex()
        meta["file_seal"] = prev_seal.hex()
        # The old signature no longer matches (verify checks it against the key the file names): a forger
        # strips it, passing the file off as unsigned.
        meta["signature"] = ""
        meta["signing_key"] = ""
        return s0, int(k - starts[s0])


def forgery_suite(work):
    key = os.path.join(work, "key")
    r = civitas("keygen", "--out", key)
    if r.returncode != 0:
        failures.append(f"keygen failed: {r.stderr}")
        return
    run = os.path.join(work, "signed.h5")
    r = civitas("run", "validation/random_exchange", "--set", "population.citizens=200", "--steps", "5",
                "--set", "output.snapshot_every=2", "--out", run, "--sign", key, "-q")
    if r.returncode != 0:
        failures.append(f"signed run failed: {r.stderr}")
        return
    code, text = verify(run, "--key", key + ".pub")
    if code != 0:
        failures.append(f"signed run does not verify with its key: {text}")
    forged = os.path.join(work, "forged.h5")
    block, pos = forge(run, forged)
    code, text = verify(forged)
    if code != 0:  # the forgery must be consistent, or this test proves nothing about --replay and --key
        failures.append(f"the re-hash forgery is not consistent (default verify: exit {code}: {text})")
    code, text = verify(forged, "--replay")
    if code != 1 or f"block {block}, record {pos}" not in text:
        failures.append(f"verify --replay missed the forgery at block {block} record {pos}: exit {code}: {text}")
    code, text = verify(forged, "--key", key + ".pub")
    if code != 1 or "signature" not in text:
        failures.append(f"verify --key missed the forgery: exit {code}: {text}")
    # Truncation: drop the last two blocks everywhere, mark the run incomplete and name it a .partial, as a
    # killed run's file would be.
    cut = os.path.join(work, "cut.h5.partial")
    shutil.copy(run, cut)
    with h5py.File(cut, "r+") as f:
        n = f["/ledger/headers"].shape[0] - 2
        for name in ("/ledger/headers", "/ledger/supplies", "/series"):
            f[name].resize(n, axis=0)
        transfers = int(f["/ledger/headers"]["transfer_count"][:n].sum())
        f["/ledger/transfers"].resize(transfers, axis=0)
        f["/meta"].attrs["complete"] = np.uint8(0)
        f["/meta"].attrs["signature"] = ""
        f["/meta"].attrs["signing_key"] = ""
    code, text = verify(cut)
    if code != 0:
        failures.append(f"a consistent truncation should pass plain verify as an interrupted run: {text}")
    code, text = verify(cut, "--key", key + ".pub")
    if code != 1:
        failures.append(f"verify --key missed the truncation: exit {code}: {text}")
    print(f"re-hash forgery at block {block}, record {pos}: default verify exit 0 (documented limit), "
          f"--replay and --key reject it; truncation rejected by --key")


# ---- 5. SIGKILL ------------------------------------------------------------------------------------------


def kill_suite(work, rng, kills):
    ok = 0
    for i in range(kills):
        out = os.path.join(work, f"killed{i}.h5")
        # Far more steps than it can finish before the kill; --ledger headers keeps the file small.
        p = subprocess.Popen([CIVITAS, "run", "society/default", "--steps", "100000", "--set",
                              "population.citizens=2000", "--ledger", "headers", "--out", out, "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not os.path.exists(out + ".partial") and time.time() < deadline and p.poll() is None:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.2, 1.5))
        p.send_signal(signal.SIGKILL)
        p.wait()
        code, text = verify(out + ".partial")
        if code == 0 and "interrupted run" in text:
            ok += 1
        elif code == 1 and "no sealed block" in text:
            ok += 1  # killed before genesis was sealed: nothing to verify, said so
        else:
            failures.append(f"SIGKILL {i}: the .partial does not verify: exit {code}: {text[:200]}")
        for f in (out, out + ".partial"):
            if os.path.exists(f):
                os.remove(f)
    return kills, ok


def main():
    rng = random.Random(12)
    with tempfile.TemporaryDirectory(prefix="civitas_tamper_") as work:
        runs = {
            "society_full.h5": ["society/default", "--set", "population.citizens=200", "--set",
                                "output.snapshot_every=2"],
            "society_headers.h5": ["society/default", "--set", "population.citizens=200", "--ledger", "headers"],
            "exchange_full.h5": ["validation/random_exchange", "--set", "population.citizens=100"],
        }
        for name, args in runs.items():
            r = civitas("run", *args, "--steps", "4", "--out", os.path.join(work, name), "-q")
            if r.returncode != 0:
                print(f"cannot make {name}: {r.stderr}")
                return 1
        total_tried = total_caught = 0
        for name in runs:
            tried, caught = tamper_suite(os.path.join(work, name), work)
            print(f"{name}: {tried} tampers tried, {caught} caught")
            total_tried += tried
            total_caught += caught
        flips, clean = flip_suite(os.path.join(work, "society_full.h5"), work, 150, rng)
        # A .partial: the same bytes under the partial name, read with bounded SWMR retries.
        pflips, pclean = flip_suite(os.path.join(work, "exchange_full.h5"), work, 50, rng, ".partial")
        print(f"byte flips: {flips + pflips} tried, {clean + pclean} ended with exit 0, 1 or 3 in bounded time")
        forgery_suite(work)
        kills, kept = kill_suite(work, rng, 5)
        print(f"SIGKILL: {kills} runs killed, {kept} left a .partial that verifies")
        print(f"tampers: {total_tried} tried, {total_caught} caught, {total_tried - total_caught} accepted")
    for f in failures[:30]:
        print("FAIL:", f)
    if failures:
        print(f"{len(failures)} failures")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
