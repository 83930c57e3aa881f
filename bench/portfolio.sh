#!/usr/bin/env bash
# bench/portfolio.sh: how long `pm portfolio` takes over many local ledgers (docs/performance.md).
#
# Generates one project of N entries with gen_ledger (the mix of bench/run's data sets: agreements,
# done notes, changes and decisions, risks, NPS answers over 5 years), copies it P times with
# different project.yaml managers and clients (one manager spelled in Latin and Cyrillic letters
# with the same email), registers the copies in a registry of their own (XDG_DATA_HOME in the
# temporary directory), and times `pm portfolio`, `pm portfolio --json` and
# `pm portfolio --by manager`: min and median of R runs after one untimed run.
#
#   bench/portfolio.sh                    300 projects of 10,000 entries, 5 runs
#   BENCH_PROJECTS=30 BENCH_ENTRIES=1000 bench/portfolio.sh    a quick run
#
# Environment (defaults in brackets):
#   BENCH_BUILD [build/rel]    a Release build with -DPM_BUILD_BENCH=ON (built here when its pm
#                              or gen_ledger is missing)
#   BENCH_PROJECTS [300] BENCH_ENTRIES [10000] BENCH_RUNS [5]
#   BENCH_KEEP [0]             1: keep the temporary directory (its path is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BENCH_BUILD:-$ROOT/build/rel}
PROJECTS=${BENCH_PROJECTS:-300}
ENTRIES=${BENCH_ENTRIES:-10000}
RUNS=${BENCH_RUNS:-5}

say() { printf 'bench: %s\n' "$*" >&2; }

if [ ! -x "$BUILD/pm" ] || [ ! -x "$BUILD/gen_ledger" ]; then
  say "building pm and gen_ledger (Release) in $BUILD"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPM_BUILD_TESTS=OFF -DPM_BUILD_BENCH=ON \
    >/dev/null
  nice -n 19 cmake --build "$BUILD" -j2 --target pm gen_ledger >/dev/null
fi
PM=$BUILD/pm

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pm-portfolio-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
  say "keeping $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
export HOME=$WORK/home XDG_DATA_HOME=$WORK/data NO_COLOR=1
unset PM_DIR PM_NOW PM_AUTHOR
mkdir -p "$HOME" "$XDG_DATA_HOME/pm"

say "generating one ledger of $ENTRIES entries"
nice -n 19 "$BUILD/gen_ledger" ledger "$WORK/base" "$ENTRIES" >/dev/null
say "copying it into $PROJECTS projects"
REGISTRY=$XDG_DATA_HOME/pm/projects
: >"$REGISTRY"
MANAGERS=("Anna Petrova|anna@agency.example" "Анна Петрова|Anna@Agency.example"
  "Boris Ivanov|boris@agency.example" "Olga Smirnova|olga@agency.example"
  "Dmitry Orlov|dmitry@agency.example" "Elena Volkova|elena@agency.example"
  "Pavel Sokolov|pavel@agency.example" "Irina Kuznetsova|irina@agency.example")
for ((i = 1; i <= PROJECTS; i++)); do
  dir=$WORK/projects/p$i
  mkdir -p "$dir"
  cp -r "$WORK/base/.pm" "$dir/.pm"
  IFS='|' read -r name email <<<"${MANAGERS[$((i % ${#MANAGERS[@]}))]}"
  # project.yaml as gen_ledger wrote it, with this project's name, client and manager.
  python3 - "$dir/.pm/project.yaml" "Project $i" "Client $((i % 40))" "$name" "$email" <<'EOF'
import sys
path, project, client, name, email = sys.argv[1:]
lines = open(path, encoding="utf-8").read().split("\n")
out, in_manager = [], False
for line in lines:
    if line.startswith("name:"):
        line = "name: " + project
    elif line.startswith("client:"):
        line = "client: " + client
    elif line.startswith("manager:"):
        in_manager = True
    elif in_manager and line.startswith("  name:"):
        line = "  name: " + name
    elif in_manager and line.startswith("  email:"):
        line = "  email: " + email
    elif line and not line.startswith(" "):
        in_manager = False
    out.append(line)
open(path, "w", encoding="utf-8").write("\n".join(out))
EOF
  echo "$dir" >>"$REGISTRY"
done
"$PM" registry list >/dev/null
du -sh "$WORK/projects" | awk '{print "bench: " $1 " of ledgers"}' >&2

# time_runs LABEL ARGS...: min and median wall time of RUNS runs, after one untimed run.
time_runs() {
  local label=$1
  shift
  "$PM" "$@" >/dev/null
  local times=()
  for ((r = 0; r < RUNS; r++)); do
    local start end
    start=$(date +%s%N)
    "$PM" "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v p="$PROJECTS" -v n="$ENTRIES" '
    { t[NR] = $1 }
    END { med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
          printf "%-32s %d projects x %d entries: min %d ms, median %d ms (%d runs)\n",
                 label, p, n, t[1], med, NR }'
}

time_runs "pm portfolio" portfolio
time_runs "pm portfolio --json" portfolio --json
time_runs "pm portfolio --by manager" portfolio --by manager
"$PM" portfolio --by manager >"$WORK/by-manager.txt"
head -n 4 "$WORK/by-manager.txt"
