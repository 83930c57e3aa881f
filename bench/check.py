#!/usr/bin/env python3
"""bench/check.py: checks that a reference query returns what pm printed (bench/run).

    check.py report PM_JSON DB SQL_FILE     pm report --format json against bench/run's report SQL
    check.py nps PM_JSON DB SQL_FILE        pm nps --by month --json against the NPS-by-month SQL
    check.py agreements PM_JSON DB SQL_FILE   pm agreements [--all] --json against the agreements
                                            SQL: the same agreements in the same order, each
                                            with the same number and state
    check.py plan DB SQL_FILE               EXPLAIN QUERY PLAN of each statement (no temp B-tree
                                            for the NPS inner GROUP BY)

SQL_FILE holds statements each introduced by a line `-- name: NAME`; each is run on its own
through the sqlite3 tool (`sqlite3 -json`), the same engine bench/run measures. Prints one line
per check, "ok ..." or "MISMATCH ..."; exits 1 if any mismatch.
"""
import json
import subprocess
import sys


def statements(path):
    out, name, lines = {}, None, []
    for line in open(path, encoding="utf-8"):
        if line.startswith("-- name:"):
            if name:
                out[name] = "".join(lines)
            name, lines = line.split(":", 1)[1].strip(), []
        elif name:
            lines.append(line)
    if name:
        out[name] = "".join(lines)
    return out


def rows(db, sql):
    done = subprocess.run(["sqlite3", "-json", "-readonly", db, sql], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout) if done.stdout.strip() else []


def compare(results, what, pm_value, sql_value):
    ok = pm_value == sql_value
    results.append(ok)
    print(f"{'ok' if ok else 'MISMATCH'} {what}: pm {pm_value}, sql {sql_value}")


def check_report(pm_json, db, sql_file):
    pm = json.load(open(pm_json, encoding="utf-8"))
    q = statements(sql_file)
    results = []
    week = pm["period"].get("week") or pm["period"]["first"]
    for key in ["done", "next", "agreements", "agreement_steps", "decisions", "risks",
                "closed_risks", "upcoming", "overdue"]:
        sql_rows = rows(db, q[key])
        compare(results, f"report {week} {key} (rows)", len(pm[key]), len(sql_rows))
        if key in ("done", "next", "agreements", "risks") and sql_rows:
            compare(results, f"report {week} {key} (ids in order)", [x["id"] for x in pm[key]],
                    [x["id"] for x in sql_rows])
    # One row per decision (or one for an undecided change): folded here by the change
    # protocol, as pm folds them (changes.cpp, next_state): each side's first decision counts,
    # nothing after a rejection.
    changes = {}
    for r in rows(db, q["changes"]):
        c = changes.setdefault(r["id"], {"id": r["id"], "client": None, "team": None,
                                          "status": "proposed"})
        if r["decision"] is None or c["status"] != "proposed":
            continue
        d = json.loads(r["decision_data"])
        side = "team" if d.get("side") == "team" else "client"
        if c[side] is not None:
            continue
        c[side] = "approved" if d.get("verdict") == "approve" else "rejected"
        if c[side] == "rejected":
            c["status"] = "rejected"
        elif c["client"] == "approved" and c["team"] == "approved":
            c["status"] = "approved"
    changes = list(changes.values())
    compare(results, f"report {week} changes (ids)", [c["id"] for c in pm["changes"]],
            [c["id"] for c in changes])
    compare(results, f"report {week} changes (client, team verdicts)",
            [(c["client"], c["team"]) for c in pm["changes"]],
            [(c["client"], c["team"]) for c in changes])
    shift = rows(db, q["deadline"])
    compare(results, f"report {week} deadline shift (days)", pm["deadline"]["days"],
            shift[0]["total_days"] if shift else 0)
    comm = rows(db, q["communication"])[0]
    if pm.get("communication"):
        compare(results, f"report {week} letters", pm["communication"]["letters"], comm["letters"])
        compare(results, f"report {week} requests", pm["communication"]["requests"],
                comm["requests"])
    head = rows(db, q["head"])
    compare(results, f"report {week} ledger head names the last entry",
            str(head[0]["id"]) in pm["ledger"] and head[0]["hash"][:8] in pm["ledger"], True)
    return all(results)


def check_nps(pm_json, db, sql_file):
    pm = json.load(open(pm_json, encoding="utf-8"))
    q = statements(sql_file)
    sql = {r["month"]: r for r in rows(db, q["nps_by_month"])}
    groups = pm.get("groups", pm.get("by", []))
    results = []
    pm_months = {}
    for g in groups:
        key = g.get("key", g.get("month", g.get("group")))
        n = g.get("answers", g.get("count", g.get("n")))
        if n:  # pm also prints the empty months between the first and the last
            pm_months[key] = g
    compare(results, "nps months with answers", sorted(pm_months), sorted(sql))
    diffs = []
    for month, g in pm_months.items():
        s = sql.get(month)
        if s is None:
            continue
        mine = (g.get("promoters"), g.get("passives"), g.get("detractors"), g.get("answers"))
        theirs = (s["promoters"], s["passives"], s["detractors"], s["answers"])
        if mine != theirs:
            diffs.append((month, mine, theirs))
        if "nps" in g and g["nps"] is not None and round(g["nps"]) != round(s["nps"]):
            diffs.append((month, "nps", g["nps"], s["nps"]))
    compare(results, "nps counts and score per month (months differing)", diffs[:3], [])
    return all(results)


def check_agreements(pm_json, db, sql_file):
    pm = json.load(open(pm_json, encoding="utf-8"))["agreements"]
    (sql,) = statements(sql_file).values()
    theirs = rows(db, sql)
    results = []
    compare(results, "agreements (rows)", len(pm), len(theirs))
    differ = [(a["number"], a["state"], b["number"], b["state"]) for a, b in zip(pm, theirs)
              if a["number"] != b["number"] or a["state"] != b["state"]]
    compare(results, "agreements (number and state, in order; first differing)", differ[:3], [])
    return all(results)


def check_plan(db, sql_file):
    results = []
    for name, sql in statements(sql_file).items():
        plan = subprocess.run(["sqlite3", "-readonly", db, "EXPLAIN QUERY PLAN " + sql],
                              capture_output=True, text=True, check=True).stdout
        print(f"plan {name}:\n" + "".join("  " + l + "\n" for l in plan.splitlines()))
        if name == "nps_by_month":
            lines = plan.splitlines()
            # The inner GROUP BY (the subquery, first in the plan) walks the covering index in
            # its order: no temp B-tree before the outer query's own (a few thousand rows).
            inner = [l for l in lines if "COVERING INDEX nps_answers_breakdown" in l]
            temp = [i for i, l in enumerate(lines) if "TEMP B-TREE" in l]
            scan = [i for i, l in enumerate(lines) if "COVERING INDEX nps_answers_breakdown" in l]
            ok = bool(inner) and all(t > scan[0] for t in temp) and \
                not any("TEMP B-TREE" in l and "nps_answers" in l for l in lines)
            # The temp B-tree that remains must belong to the outer query (after the scan).
            results.append(ok)
            print(f"{'ok' if ok else 'MISMATCH'} nps plan: covering index scan, "
                  f"no temp B-tree for the inner GROUP BY")
    return all(results)


def main(argv):
    if len(argv) >= 5 and argv[1] == "report":
        return 0 if check_report(*argv[2:5]) else 1
    if len(argv) >= 5 and argv[1] == "nps":
        return 0 if check_nps(*argv[2:5]) else 1
    if len(argv) >= 5 and argv[1] == "agreements":
        return 0 if check_agreements(*argv[2:5]) else 1
    if len(argv) >= 4 and argv[1] == "plan":
        return 0 if check_plan(*argv[2:4]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
