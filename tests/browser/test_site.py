#!/usr/bin/env python3
"""The client's pages in a real browser: an English and a Russian project are published with
pm publish and opened in headless Chromium at a desktop and a phone width, and so are their
HTML letters (pm render --format html). Each page must load
with no console message, no failed or external request and no sideways scrolling on the phone;
its text must hold what `pm report --format json --client-view` and `pm verify` say and nothing
marked --internal. The HTML must pass `tidy -errors`.

usage: test_site.py PM_BINARY [SCREENSHOT_DIR]
Exits 77 (ctest's "skipped", shown as such) when Chromium is not installed."""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chromium import Browser, find_chromium  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_SITE = os.path.join(HERE, "..", "cli", "check_site.py")
WIDTHS = [("desktop", 1280, 900, False), ("phone", 390, 844, True)]
SECRET = "SECRET"

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL: {message}")


class Project:
    def __init__(self, pm, root, lang):
        self.pm_binary = pm
        self.root = root
        self.work = os.path.join(root, "work")
        os.makedirs(self.work)
        home = os.path.join(root, "home")
        os.makedirs(home)
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                    "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                    "XDG_DATA_HOME": os.path.join(home, ".local/share"),
                    "PM_AUTHOR": "Anna Petrova", "LANG": "C.UTF-8", "NO_COLOR": "1",
                    "PM_NOW": "2026-11-16T09:00:00+03:00"}
        self.pm("init", "--name", "Website" if lang == "en" else "Сайт", "--client", "ACME Corp",
                "--manager", "Anna Petrova", "--email", "anna@example.com", "--tz",
                "Europe/Moscow", "--deadline", "2026-12-25", "--calendar", "none", "--lang", lang)
        self.pm("people", "add", "Ivan Sidorov <ivan@acme.example>", "--side", "client",
                "--role", "approver")

    def pm(self, *args, now=None):
        env = dict(self.env)
        if now:
            env["PM_NOW"] = now
        r = subprocess.run([self.pm_binary, *args], cwd=self.work, env=env, capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise RuntimeError(f"pm {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout


def fill(p):
    """Two weeks of a project, with internal entries whose texts say SECRET."""
    steps = [
        ("2026-11-16T10:00:00+03:00", ["done", "Kickoff call held"]),
        ("2026-11-16T11:00:00+03:00", ["log-agreement", "Client sends the texts", "--due",
                                       "2026-11-27", "--with", "Ivan Sidorov"]),
        ("2026-11-17T10:00:00+03:00", ["--internal", "done", "SECRET billing refactoring"]),
        ("2026-11-17T11:00:00+03:00", ["log-agreement", "SECRET margin stays at 40%",
                                       "--internal"]),
        ("2026-11-18T12:00:00+03:00", ["change", "propose", "Add a blog section", "--reason",
                                       "The client wants news", "--calendar-days", "--days", "8",
                                       "--cost", "1500", "--currency", "EUR"]),
        ("2026-11-18T13:00:00+03:00", ["change", "approve", "1", "--side", "client", "--by",
                                       "Ivan Sidorov", "--evidence", "<ok-blog@acme.example>"]),
        ("2026-11-19T09:00:00+03:00", ["risk", "add", "Texts may come late", "--probability",
                                       "high", "--impact", "medium", "--action",
                                       "Weekly reminder", "--owner", "Ivan Sidorov"]),
        ("2026-11-19T09:10:00+03:00", ["risk", "add", "SECRET the lead may leave",
                                       "--probability", "low", "--impact", "high", "--internal"]),
        ("2026-11-20T10:00:00+03:00", ["nps", "add", "9", "--contact", "Ivan Sidorov",
                                       "--comment", "SECRET comment on the manager"]),
        ("2026-11-20T10:05:00+03:00", ["nps", "add", "6", "--contact", "Olga", "--on",
                                       "2026-10-05"]),
        ("2026-11-20T10:06:00+03:00", ["nps", "add", "10", "--contact", "Petr", "--on",
                                       "2026-10-06"]),
        ("2026-11-20T10:07:00+03:00", ["nps", "add", "3", "--contact", "Olga", "--on",
                                       "2026-11-19"]),
        ("2026-11-23T10:00:00+03:00", ["change", "approve", "1", "--side", "team"]),
        ("2026-11-23T11:00:00+03:00", ["done", "Home page wireframes <b>& styles</b>"]),
        ("2026-11-24T10:00:00+03:00", ["agreement", "confirm", "1", "--by", "Ivan Sidorov",
                                       "--evidence", "call 2026-11-24 10:00"]),
        ("2026-11-25T10:00:00+03:00", ["next", "Launch preparation"]),
        ("2026-11-26T16:00:00+03:00", ["log-agreement", "Launch on 2 January", "--due",
                                       "2027-01-02"]),
    ]
    for now, args in steps:
        p.pm(*args, now=now)
    p.env["PM_NOW"] = "2026-11-27T17:00:00+03:00"


def tidy(path):
    if not shutil.which("tidy"):
        return
    r = subprocess.run(["tidy", "-errors", "-quiet", "-utf8", path], capture_output=True, text=True)
    if r.returncode >= 2:
        fail(f"tidy: {path}: {r.stderr.strip()}")


def whole(x):
    """Whole points as pm shows them: half away from zero."""
    return int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)


def check_nps_chart(p, lang, index_html):
    """The NPS chart's points (each point's tooltip) against pm nps --by month --json."""
    svg = re.search(r'<svg[^>]*id="pm-chart-nps".*?</svg>', index_html, re.S)
    if not svg:
        fail(f"{lang} index.html: no NPS chart")
        return
    shown = {}
    for month, nps, margin, n in re.findall(
            r"<circle[^>]*><title>(\d{4}-\d{2}): NPS (-?\d+) ± (\d+) \(\w+: (\d+)\)</title>",
            svg.group(0)):
        shown[month] = (int(nps), int(margin), int(n))
    report = json.loads(p.pm("nps", "--by", "month", "--json"))
    expected = {g["key"]: (whole(g["nps"]), whole(g["margin_of_error"]), g["answers"])
                for g in report["groups"] if g["answers"] > 0}
    if shown != expected:
        fail(f"{lang} NPS chart points {shown} differ from pm nps --by month --json {expected}")


def expected_texts(p):
    """What the client must read on this week's page: the client's view of the report."""
    report = json.loads(p.pm("report", "--format", "json", "--client-view"))
    texts = [item["text"] for item in report.get("done", []) + report.get("next", [])]
    texts += [a["text"] for a in report.get("agreements", [])]
    texts += [c["text"] for c in report.get("changes", [])]
    texts += [k["text"] for k in report.get("risks", [])]
    return report, texts


def check_letters(browser, p, lang, texts, shots):
    """HTML letters as a mail client shows them: the weekly status (from the client's view) and
    an agreement's confirmation, each a whole document with its styles inlined."""
    letters = {"weekly-status": texts, "agreement-confirmation": ["Launch on 2 January"]}
    for name, expected in letters.items():
        path = os.path.join(p.work, f"{name}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(p.pm("render", name, "--format", "html"))
        tidy(path)
        for label, width, height, mobile in WIDTHS:
            problems, text, scroll = browser.open("file://" + path, width, height, mobile)
            for problem in problems:
                fail(f"{lang} letter {name} {label}: {problem}")
            if scroll > width:
                fail(f"{lang} letter {name} {label}: scrolls sideways ({scroll}px > {width}px)")
            if SECRET in text:
                fail(f"{lang} letter {name} {label}: an internal text is visible")
            for t in expected:
                if t not in text:
                    fail(f"{lang} letter {name} {label}: '{t}' is missing")
            if shots and name == "weekly-status":
                browser.screenshot(os.path.join(shots, f"{lang}-letter-{name}-{label}.png"))
    print(f"browser: {lang}: {len(letters)} HTML letters at {len(WIDTHS)} widths")


def check_project(browser, pm, lang, shots):
    root = tempfile.mkdtemp(prefix=f"pm-browser-{lang}-")
    try:
        p = Project(pm, root, lang)
        fill(p)
        site = os.path.join(p.work, "site")
        p.pm("publish", "-o", "site")
        r = subprocess.run([sys.executable, CHECK_SITE, site], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"check_site ({lang}): {r.stdout.strip()}")
        report, texts = expected_texts(p)
        with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
            check_nps_chart(p, lang, f.read())
        head = json.loads(p.pm("verify", "--json"))["head"]
        week = report["period"]["week"]
        pages = []
        for d, _, files in os.walk(site):
            pages += [os.path.join(d, f) for f in sorted(files) if f.endswith(".html")]
        for page in sorted(pages):
            tidy(page)
            name = os.path.relpath(page, site)
            for label, width, height, mobile in WIDTHS:
                problems, text, scroll = browser.open("file://" + page, width, height, mobile)
                for problem in problems:
                    fail(f"{lang} {name} {label}: {problem}")
                if scroll > width:
                    fail(f"{lang} {name} {label}: the page scrolls sideways ({scroll}px > {width}px)")
                if SECRET in text:
                    fail(f"{lang} {name} {label}: an internal text is visible")
                if head not in text:
                    fail(f"{lang} {name} {label}: the chain head {head} is not on the page")
                if name == f"reports/{week}.html":
                    for t in texts:
                        if t not in text:
                            fail(f"{lang} {name}: '{t}' from pm report --format json is missing")
                if shots and name in ("index.html", "agreements.html", f"reports/{week}.html"):
                    shot = name.replace("/", "-").replace(".html", "")
                    browser.screenshot(os.path.join(shots, f"{lang}-{shot}-{label}.png"))
        print(f"browser: {lang}: {len(pages)} pages at {len(WIDTHS)} widths")
        check_letters(browser, p, lang, texts, shots)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    binary = find_chromium()
    if not binary:
        print("SKIPPED: chromium not installed (scripts/deps --test installs it): the pages were not "
              "opened in a browser")
        return 77
    pm = os.path.abspath(argv[1])
    shots = os.path.abspath(argv[2]) if len(argv) > 2 else None
    if shots:
        os.makedirs(shots, exist_ok=True)
    browser = Browser(binary)
    try:
        for lang in ("en", "ru"):
            check_project(browser, pm, lang, shots)
    finally:
        browser.close()
    print(f"browser: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
