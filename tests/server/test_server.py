#!/usr/bin/env python3
"""The ledger server as an agency uses it (docs/server.md), against the test server.

    PM_TEST_SERVER_URL=postgresql:///pm_test?host=DIR&user=U test_server.py PATH/TO/pm

Two machines (two checkouts) writing to one project at once, a third moving its local ledger
there, pm verify and pm export on all; the writer role that may only SELECT and INSERT; a
server that cannot be reached (reads go on from the replica, writes fail with exit 9 and
write nothing, the git hook's decisions wait in the spool). Exits non-zero on the first
failed check, naming it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

PM = os.path.abspath(sys.argv[1])
URL = os.environ.get("PM_TEST_SERVER_URL", "")
if not URL:
    print("SKIPPED: PM_TEST_SERVER_URL is not set (tests/server/with_server.sh sets it)")
    sys.exit(77)
HOST = dict(p.split("=", 1) for p in URL.split("?", 1)[1].split("&"))["host"]
WRITER = f"postgresql:///pm_test?host={HOST}&user=pm_writer"
FAILURES = []


def check(ok, what):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        FAILURES.append(what)


def pm(cwd, *args, env=None, check_rc=0):
    e = dict(os.environ)
    e.pop("PM_LEDGER_URL", None)
    e.update({"PM_NOW": "2026-12-01T10:00:00Z", "TZ": "UTC"})
    e.update(env or {})
    r = subprocess.run([PM, *args], cwd=cwd, env=e, capture_output=True, text=True)
    if check_rc is not None and r.returncode != check_rc:
        raise SystemExit(f"FAILED: pm {' '.join(args)} in {cwd}: exit {r.returncode}, expected "
                         f"{check_rc}\nstdout: {r.stdout}\nstderr: {r.stderr}")
    return r


def psql(url, sql):
    return subprocess.run(["psql", "-X", "-q", "-At", url, "-c", sql], capture_output=True,
                          text=True)


def location(project_dir):
    with open(os.path.join(project_dir, ".pm", "project.yaml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("ledger:"):
                return line.split(":", 1)[1].strip()
    return ""


def main():
    root = tempfile.mkdtemp(prefix="pm-server-test-")
    env = {"XDG_DATA_HOME": os.path.join(root, "xdg"), "HOME": root}
    try:
        # The server's owner sets up the writer role once (docs/server.md).
        pm(root, "init", "setup", "--name", "Setup", "--manager", "Admin", "--email",
           "admin@agency.example", "--tz", "UTC", "--ledger", URL, env=env)
        grant = psql(URL, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO pm_writer; "
                          "GRANT INSERT ON pm_projects, pm_configs, pm_entries, pm_nps_answers "
                          "TO pm_writer; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "
                          "pm_writer")
        check(grant.returncode == 0, f"the writer role is granted SELECT and INSERT {grant.stderr}")
        writer = dict(env, PM_LEDGER_URL=WRITER)

        # Machine A makes the project on the server; machine B joins it.
        a = os.path.join(root, "a")
        pm(root, "init", a, "--name", "Website Redesign", "--client", "Acme", "--manager",
           "Anna Petrova", "--email", "anna@agency.example", "--tz", "UTC", "--ledger", WRITER,
           env=env)
        at = location(a)
        check(at.startswith(WRITER + "#website-redesign-"), f"project.yaml names the server: {at}")
        check("password" not in open(os.path.join(a, ".pm", "project.yaml")).read(),
              "no password in project.yaml")
        b = os.path.join(root, "b")
        r = pm(root, "ledger", "join", at, b, env=env)
        check("Joined project 'Website Redesign'" in r.stderr, "pm ledger join says what it did")

        # Twenty writers at once, ten from each machine.
        def write(args):
            where, i = args
            return pm(where, "done", f"{os.path.basename(where)} {i}", env=writer, check_rc=None)

        jobs = [(a, i) for i in range(10)] + [(b, i) for i in range(10)]
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(write, jobs))
        check(all(r.returncode == 0 for r in results),
              "20 concurrent writers from two machines all succeed: " +
              "; ".join(r.stderr.strip() for r in results if r.returncode != 0))
        for where in (a, b):
            v = json.loads(pm(where, "verify", "--json", env=writer).stdout)
            check(v["ok"] and v["entries"] == 20, f"pm verify in {where}: {v['entries']} entries")
        log_a = pm(a, "log", "--json", env=writer).stdout
        log_b = pm(b, "log", "--json", env=writer).stdout
        check(log_a == log_b, "both machines list the same ledger")
        texts = sorted(e["text"] for e in json.loads(log_a)["entries"])
        check(texts == sorted(f"{os.path.basename(w)} {i}" for w, i in jobs),
              "every write is there once, none lost")
        count = psql(URL, f"SELECT count(*) FROM pm_entries WHERE project = '{at.split('#')[1]}'")
        check(count.stdout.strip() == "20", f"the server holds 20 entries ({count.stdout.strip()})")

        # Numbers stay per kind and in order across machines.
        pm(a, "log-agreement", "Design by Friday", env=writer)
        pm(b, "log-agreement", "Copy by Monday", env=writer)
        shown = pm(a, "show", "A2", env=writer).stdout
        check("Copy by Monday" in shown, "agreement 2 is machine B's, seen from machine A")

        # The database itself refuses edits, to the writer role and to the owner.
        for url, who in ((WRITER, "the writer role"), (URL, "the owner")):
            for sql in ("UPDATE pm_entries SET text = 'x' WHERE id = 1",
                        "DELETE FROM pm_entries", "TRUNCATE pm_entries CASCADE"):
                r = psql(url, sql)
                check(r.returncode != 0, f"{who}: {sql.split()[0]} is refused ({r.stderr.strip()})")
        next_id = json.loads(pm(a, "ledger", "status", "--json", env=writer).stdout)["entries"] + 1
        forged = psql(WRITER, "INSERT INTO pm_entries (project, id, kind, recorded_at, "
                              "effective_at, author, source, text, data, prev_hash, hash) SELECT "
                              f"'{at.split('#')[1]}', {next_id}, 'done', 'x', 'x', 'x', 'cli', "
                              "'forged', '{}', 'not-the-head', 'x'")
        check(forged.returncode != 0 and "does not chain" in forged.stderr,
              f"an entry that does not chain to the head is refused ({forged.stderr.strip()})")

        # Machine C moves its local ledger to the server.
        c = os.path.join(root, "c")
        pm(root, "init", c, "--local", "--name", "Mobile App", "--client", "Beta", "--manager",
           "Анна Петрова", "--email", "Anna@agency.example", "--tz", "UTC", env=env)
        pm(c, "log-agreement", "Release in March", env=env)
        pm(c, "nps", "add", "9", "--client", "Beta", env=env)
        pm(c, "risk", "add", "The API may slip", "--severity", "high", env=env, check_rc=None)
        before = pm(c, "export", env=env).stdout
        r = pm(c, "ledger", "move", WRITER, env=env)
        check("verified against the chain" in r.stderr, f"pm ledger move: {r.stderr.strip()}")
        check(location(c).startswith(WRITER + "#mobile-app-"), "project.yaml now names the server")
        after = pm(c, "export", env=env).stdout
        check(before == after, "pm export from the server is byte-identical to the local one")
        pm(c, "done", "Moved and still writing", env=env)
        check(json.loads(pm(c, "verify", "--json", env=env).stdout)["ok"], "pm verify after move")
        again = pm(c, "ledger", "move", WRITER, env=env, check_rc=1)
        check("already on a server" in again.stderr, "a second move is refused")

        # A copy of a ledger already on the server is refused too (same chain, another key).
        d = os.path.join(root, "d")
        shutil.copytree(c, d)
        with open(os.path.join(d, ".pm", "project.yaml"), encoding="utf-8") as f:
            lines = [l for l in f if not l.startswith("ledger:")]
        with open(os.path.join(d, ".pm", "project.yaml"), "w", encoding="utf-8") as f:
            f.writelines(lines)
        dup = pm(d, "ledger", "move", WRITER, env=env, check_rc=1)
        check("already holds this ledger" in dup.stderr, f"a copy is refused: {dup.stderr.strip()}")

        # The portfolio: server projects (checked out here or not) and local ones, one row each;
        # the manager spelled in two alphabets with one email is one manager.
        e = os.path.join(root, "e")
        pm(root, "init", e, "--local", "--name", "Intranet", "--client", "Gamma", "--manager",
           "Boris Ivanov", "--email", "boris@agency.example", "--tz", "UTC", env=env)
        pm(root, "init", "--local", os.path.join(root, "f"), "--name", "Not here", "--manager",
           "Olga", "--email", "olga@agency.example", "--tz", "UTC", env=env)
        shutil.rmtree(os.path.join(root, "f"))  # registered, then gone: reported, skipped
        # (The test server holds other tests' projects too: only this test's are counted.)
        ours = {location(os.path.join(root, d)).split("#")[-1] for d in ("setup", "a", "c")}

        def mine(rows):
            return sorted(row["name"] for row in rows
                          if row["path"].startswith(root) or row["path"].split("#")[-1] in ours)

        r = pm(root, "portfolio", "--json", env=writer)
        rows = json.loads(r.stdout)["projects"]
        names = mine(rows)
        check(names == ["Intranet", "Mobile App", "Setup", "Website Redesign"],
              f"pm portfolio: every project once, server and local ({names})")
        check("skipped" in r.stderr and "does not exist" in r.stderr,
              f"an unreadable project is reported and skipped ({r.stderr.strip()})")
        web = next(row for row in rows if row["name"] == "Website Redesign")
        check(web["path"].startswith("/"), "a project checked out here is read from its directory")
        by = json.loads(pm(root, "portfolio", "--by", "manager", "--json", env=writer).stdout)
        anna = [g for g in by["groups"] if g["email"] == "anna@agency.example"]
        check(len(anna) == 1 and len([p for p in anna[0]["projects"]
                                      if p.startswith(root) or p.split("#")[-1] in ours]) == 2,
              "Anna Petrova and Анна Петрова (one email) are one manager with two projects")
        # A machine with no checkout reads the server's projects from its cache.
        elsewhere = dict(env, XDG_DATA_HOME=os.path.join(root, "xdg2"),
                         XDG_CACHE_HOME=os.path.join(root, "cache2"), PM_LEDGER_URL=WRITER)
        os.makedirs(os.path.join(root, "xdg2"))
        r = pm(root, "portfolio", "--json", env=elsewhere)
        names = mine(json.loads(r.stdout)["projects"])
        check(names == ["Mobile App", "Setup", "Website Redesign"],
              f"pm portfolio with only a server: its projects ({names})")
        nps = json.loads(pm(root, "nps", "--portfolio", "--json", env=elsewhere).stdout)
        check(nps.get("projects") and any(p.get("name") == "Mobile App" for p in nps["projects"]),
              "pm nps --portfolio reads the server's projects too")

        # An unreachable server: reads go on from the replica, writes fail and write nothing.
        dead = dict(env, PM_LEDGER_URL=f"postgresql:///pm_test?host={root}/nowhere")
        head = pm(a, "ledger", "status", "--json", env=writer).stdout
        r = pm(a, "done", "while offline", env=dead, check_rc=9)
        check("nothing was" in r.stderr or "cannot connect" in r.stderr,
              f"a write without the server: exit 9 ({r.stderr.strip()})")
        r = pm(a, "log", env=dead)
        check("warning" in r.stderr and "Design by Friday" in r.stdout,
              "a read without the server shows the replica, with a warning")
        check(pm(a, "ledger", "status", "--json", env=writer).stdout == head,
              "nothing was written while the server was away")

        # A git hook's decision while the server is away waits in the spool, then goes in.
        if shutil.which("git"):
            repo = a
            git_env = dict(os.environ, GIT_AUTHOR_NAME="Anna", GIT_AUTHOR_EMAIL="anna@agency.example",
                           GIT_COMMITTER_NAME="Anna", GIT_COMMITTER_EMAIL="anna@agency.example",
                           HOME=root)
            subprocess.run(["git", "init", "-q", repo], check=True, env=git_env)
            pm(repo, "hook", "install", env=env)
            hook_env = dict(git_env, **dead, PATH=os.path.dirname(PM) + ":" + os.environ["PATH"])
            subprocess.run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m",
                            "Switch to Postgres\n\nDecision: use PostgreSQL for the shared ledger"],
                           check=True, env=hook_env, capture_output=True)
            spool = os.path.join(repo, ".pm", "spool")
            check(os.path.isdir(spool) and os.listdir(spool), "the hook kept the decision in .pm/spool")
            pm(repo, "log", env=writer)  # the next command with the server drains the spool
            log = pm(repo, "log", "--json", env=writer).stdout
            check("use PostgreSQL for the shared ledger" in log,
                  "the spooled decision reached the server once it answered")
            check(json.loads(pm(b, "log", "--json", env=writer).stdout) == json.loads(log),
                  "machine B sees the decision too")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all server scenarios passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
