#!/usr/bin/env python3
"""bench/pair.py: time two commands as interleaved pairs (docs/performance.md, "Method").

    bench/pair.py [options] -- COMMAND_A [-- COMMAND_B]

Each COMMAND is one shell word list (the words after `--`, up to the next `--`), or with
--shell one string run by /bin/sh -c. Every round runs A and B once each, in a random order
(A then B, or B then A), so both sides see the same machine: load that comes and goes falls on
both. Before each run of a side its --prepare-a / --prepare-b command runs, untimed. One
warm-up round (--warmup) is run and discarded, then --rounds timed rounds.

Per side: wall time, CPU time (user + system from wait4's rusage: the command and the children
it waited for), the minimum and the median of each, and the peak RSS (the largest ru_maxrss of
any run, KiB). With --spawn (bench/run passes the bench/spawn it builds) the command is started
and measured by that small C program: wall time by CLOCK_MONOTONIC around its fork and wait4,
CPU and RSS from wait4's rusage. Without it Python measures: time.perf_counter_ns around
Popen and os.wait4, rusage from os.wait4; but a child forked by Python keeps Python's resident
pages (about 15 MiB) in ru_maxrss and Python's pre-exec work in its CPU time.
Then the ratios A/B of the medians, wall and CPU.

Output (stdout): one TSV line,
    label rounds a_wall_min a_wall_med a_cpu_min a_cpu_med a_rss_kib
                 b_wall_min b_wall_med b_cpu_min b_cpu_med b_rss_kib ratio_wall ratio_cpu
times in ms with two decimals; the B fields and ratios are '-' without B. --header prints the
column names first. A run that exits non-zero (or is killed) stops everything: its command, exit
status and the tail of its stderr go to stderr, in capitals, and pair.py exits 1.

stdout of the commands goes to /dev/null (or --out-a/--out-b FILE, rewritten by each run),
stdin is /dev/null, stderr is kept in a temporary file for the failure message.
"""
import argparse
import os
import random
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time

FIELDS = ["label", "rounds",
          "a_wall_min", "a_wall_med", "a_cpu_min", "a_cpu_med", "a_rss_kib",
          "b_wall_min", "b_wall_med", "b_cpu_min", "b_cpu_med", "b_rss_kib",
          "ratio_wall", "ratio_cpu"]


class Failed(Exception):
    pass


class Side:
    def __init__(self, name, argv, prepare, out):
        self.name, self.argv, self.prepare, self.out = name, argv, prepare, out
        self.wall, self.cpu, self.rss = [], [], 0

    def run(self, shell, keep, spawn, result):
        if self.prepare:
            done = subprocess.run(self.prepare, shell=True, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if done.returncode != 0:
                raise Failed(f"PREPARE OF {self.name} FAILED (exit {done.returncode}): "
                             f"{self.prepare}\n{done.stderr.decode(errors='replace')[-2000:]}")
        argv = ["/bin/sh", "-c", self.argv] if shell else list(self.argv)
        with tempfile.TemporaryFile() as err, \
                open(self.out if self.out else os.devnull, "wb") as out:
            if spawn:
                # Timed and measured by bench/spawn (see its comment): wall, CPU and RSS of the
                # command alone, without Python's pages or Python's work before exec.
                child = subprocess.Popen([spawn, result] + argv, stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=err)
                _, status, _ = os.wait4(child.pid, 0)
                code = os.waitstatus_to_exitcode(status)
                try:
                    with open(result) as f:
                        wall_ns, user_us, sys_us, rss, _ = (int(v) for v in f.read().split())
                    os.unlink(result)
                except (OSError, ValueError):
                    wall_ns = None
            else:
                t0 = time.perf_counter_ns()
                child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
                _, status, usage = os.wait4(child.pid, 0)
                t1 = time.perf_counter_ns()
                code = os.waitstatus_to_exitcode(status)
                wall_ns, rss = t1 - t0, usage.ru_maxrss
                user_us, sys_us = usage.ru_utime * 1e6, usage.ru_stime * 1e6
            child.returncode = code
            if code != 0 or wall_ns is None:
                err.seek(0)
                tail = err.read().decode(errors="replace")[-2000:]
                how = (f"killed by signal {-code}" if code < 0 else
                       f"exit {code}" if code != 0 else "no result from bench/spawn")
                if spawn and code > 128:
                    how = f"killed by signal {code - 128}"
                raise Failed(f"COMMAND {self.name} FAILED ({how}): {self.describe(shell)}\n{tail}")
        if keep:
            self.wall.append(wall_ns / 1e6)
            self.cpu.append((user_us + sys_us) / 1e3)
        self.rss = max(self.rss, rss)

    def describe(self, shell):
        return self.argv if shell else shlex.join(self.argv)

    def fields(self):
        ms = lambda v: f"{v:.2f}"
        return [ms(min(self.wall)), ms(statistics.median(self.wall)),
                ms(min(self.cpu)), ms(statistics.median(self.cpu)), str(self.rss)]


def split_commands(words):
    commands, current = [], None
    for w in words:
        if w == "--":
            current = []
            commands.append(current)
        elif current is None:
            raise SystemExit("pair.py: commands come after --")
        else:
            current.append(w)
    if not 1 <= len(commands) <= 2 or any(not c for c in commands):
        raise SystemExit("pair.py: give -- COMMAND_A [-- COMMAND_B]")
    return commands


def main():
    parser = argparse.ArgumentParser(
        description="Time commands A and B as interleaved pairs in random order.",
        usage="%(prog)s [options] -- COMMAND_A [-- COMMAND_B]")
    parser.add_argument("--label", default="-", help="first field of the output line")
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--prepare-a", default="", help="shell command run untimed before each A")
    parser.add_argument("--prepare-b", default="", help="shell command run untimed before each B")
    parser.add_argument("--out-a", default="", help="file for A's stdout (default /dev/null)")
    parser.add_argument("--out-b", default="", help="file for B's stdout (default /dev/null)")
    parser.add_argument("--shell", action="store_true",
                        help="each command is one string for /bin/sh -c")
    parser.add_argument("--spawn", default=os.environ.get("BENCH_SPAWN", ""),
                        help="bench/spawn binary to run each command through (default "
                             "$BENCH_SPAWN; without it Python times the command itself, and its "
                             "RSS and CPU include the forked Python before exec)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the order (default random)")
    parser.add_argument("--header", action="store_true", help="print the column names first")
    parser.add_argument("--verbose", action="store_true", help="each run's times on stderr")
    args, rest = parser.parse_known_args()
    if args.rounds < 1:
        raise SystemExit("pair.py: --rounds must be at least 1")
    commands = split_commands(rest)
    if args.shell:
        commands = [" ".join(c) for c in commands]
    sides = [Side("A", commands[0], args.prepare_a, args.out_a)]
    if len(commands) == 2:
        sides.append(Side("B", commands[1], args.prepare_b, args.out_b))
    if not args.spawn:
        print("pair.py: no --spawn: RSS and CPU include Python's forked child before exec",
              file=sys.stderr)
    fd, result = tempfile.mkstemp(prefix="pair-")
    os.close(fd)
    order = random.Random(args.seed)
    try:
        for r in range(args.warmup + args.rounds):
            keep = r >= args.warmup
            for side in order.sample(sides, len(sides)):
                side.run(args.shell, keep, args.spawn, result)
                if args.verbose and keep:
                    print(f"pair: {args.label} round {r - args.warmup + 1} {side.name}: "
                          f"{side.wall[-1]:.2f} ms wall, {side.cpu[-1]:.2f} ms cpu",
                          file=sys.stderr)
    except Failed as e:
        print(f"pair.py: {args.label}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if os.path.exists(result):
            os.unlink(result)
    out = [args.label, str(args.rounds)] + sides[0].fields()
    if len(sides) == 2:
        a, b = sides
        ratio = lambda x, y: f"{statistics.median(x) / statistics.median(y):.2f}" \
            if statistics.median(y) > 0 else "-"
        out += b.fields() + [ratio(a.wall, b.wall), ratio(a.cpu, b.cpu)]
    else:
        out += ["-"] * 7
    if args.header:
        print("\t".join(FIELDS))
    print("\t".join(out))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
