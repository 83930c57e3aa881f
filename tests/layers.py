#!/usr/bin/env python3
"""Checks that the core's areas include one another only downwards (docs/ARCHITECTURE.md):
util <- time <- storage <- domain <- git, mail, web; these three do not include one another."""
import os
import re
import sys

ORDER = ["util", "time", "storage", "domain", "git", "mail", "web"]
SIBLINGS = {(a, b) for a in ("git", "mail", "web") for b in ("git", "mail", "web") if a != b}
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
problems = []
for base in ("include/pm", "src/core"):
    top = os.path.join(root, base)
    for entry in sorted(os.listdir(top)):
        path = os.path.join(top, entry)
        if not os.path.isdir(path):
            problems.append(f"{base}/{entry}: outside any area folder")
            continue
        if entry not in ORDER:
            problems.append(f"{base}/{entry}/: not an area named in docs/ARCHITECTURE.md")
            continue
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = re.match(r'\s*#include "pm/(\w+)/', line)
                    if not m:
                        continue
                    used = m.group(1)
                    if used not in ORDER:
                        problems.append(f"{base}/{entry}/{name}:{number}: unknown area {used}")
                    elif ORDER.index(used) > ORDER.index(entry) or (entry, used) in SIBLINGS:
                        problems.append(f"{base}/{entry}/{name}:{number}: {entry} includes {used}")
for p in problems:
    print(p)
print(f"layers: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
