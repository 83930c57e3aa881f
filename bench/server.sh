#!/usr/bin/env bash
# bench/server.sh: the ledger server at agency scale (docs/performance.md, "The ledger server").
#
# Starts a PostgreSQL of its own (scripts/pg-server), puts P projects of N entries on it (one
# generated ledger moved with `pm ledger move`, then copied server-side, through the same
# triggers, under P-1 other keys, each with its own project.yaml), and measures:
#   1. append latency: `pm done` in a checkout of a server project against psql inserting a
#      row of the same shape into another project through the same trigger (a process, a
#      connection, one INSERT that extends the chain): interleaved pairs, medians;
#   2. 20 concurrent writers, W appends each, on 20 different projects and on one project
#      (20 checkouts, as 20 machines): throughput, entries lost (0 expected), pm verify;
#   3. `pm portfolio --server URL` over the P projects from a machine with no checkout: the
#      first run (copies every ledger into the cache) and warm runs (min, median).
# bench/portfolio.sh measures the portfolio over P local ledgers.
#
#   bench/server.sh                              300 projects of 10,000 entries
#   BENCH_PROJECTS=20 BENCH_ENTRIES=1000 bench/server.sh        a quick run
#
# Environment: BENCH_BUILD [build/rel], BENCH_PROJECTS [300], BENCH_ENTRIES [10000],
# BENCH_RUNS [5], BENCH_PAIRS [30], BENCH_WRITES [10] (appends per concurrent writer),
# BENCH_KEEP [0].
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BENCH_BUILD:-$ROOT/build/rel}
PROJECTS=${BENCH_PROJECTS:-300}
ENTRIES=${BENCH_ENTRIES:-10000}
RUNS=${BENCH_RUNS:-5}
PAIRS=${BENCH_PAIRS:-30}
WRITES=${BENCH_WRITES:-10}

say() { printf 'bench: %s\n' "$*" >&2; }
ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'; }

if [ ! -x "$BUILD/pm" ] || [ ! -x "$BUILD/gen_ledger" ] || [ ! -f "$BUILD/pm-postgresql.so" ]; then
  say "building pm, its server module and gen_ledger (Release) in $BUILD"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPM_BUILD_TESTS=OFF -DPM_BUILD_BENCH=ON >/dev/null
  nice -n 19 cmake --build "$BUILD" -j2 --target pm pm_postgresql gen_ledger >/dev/null
fi
PM=$BUILD/pm

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pm-server-bench.XXXXXX")
chmod 0755 "$WORK"
cleanup() {
  scripts/pg-server stop "$WORK/pg" || true
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
export HOME=$WORK/home XDG_DATA_HOME=$WORK/data XDG_CACHE_HOME=$WORK/cache NO_COLOR=1
unset PM_DIR PM_NOW PM_AUTHOR PM_LEDGER_URL
mkdir -p "$HOME" "$XDG_DATA_HOME/pm"

URL=$(scripts/pg-server start "$WORK/pg")
if [ ! -s "$WORK/pg/url" ]; then
  say "SKIPPED: no PostgreSQL"
  exit 0
fi
PSQL=(psql -X -q -At "$URL")

say "generating one ledger of $ENTRIES entries and moving it to the server"
nice -n 19 "$BUILD/gen_ledger" ledger "$WORK/base" "$ENTRIES" >/dev/null
(cd "$WORK/base" && "$PM" ledger move "$URL" --key p0001 2>/dev/null)

say "copying it server-side into $PROJECTS projects (every row through the chain trigger)"
start=$(ms)
"${PSQL[@]}" -c "INSERT INTO pm_projects (project) SELECT 'p' || lpad(n::text, 4, '0') FROM generate_series(2, $PROJECTS) n"
python3 - "$PROJECTS" "$WORK/base/.pm/project.yaml" >"$WORK/configs.sql" <<'EOF'
import sys
projects, path = int(sys.argv[1]), sys.argv[2]
base = open(path, encoding="utf-8").read()
managers = [("Anna Petrova", "anna@agency.example"), ("Анна Петрова", "Anna@Agency.example"),
            ("Boris Ivanov", "boris@agency.example"), ("Olga Smirnova", "olga@agency.example"),
            ("Dmitry Orlov", "dmitry@agency.example"), ("Elena Volkova", "elena@agency.example")]
for i in range(1, projects + 1):
    name, email = managers[i % len(managers)]
    out, in_manager = [], False
    for line in base.split("\n"):
        if line.startswith("name:"):
            line = f"name: Project {i}"
        elif line.startswith("client:"):
            line = f"client: Client {i % 40}"
        elif line.startswith("manager:"):
            in_manager = True
        elif in_manager and line.startswith("  name:"):
            line = "  name: " + name
        elif in_manager and line.startswith("  email:"):
            line = "  email: " + email
        elif line and not line.startswith(" "):
            in_manager = False
        out.append(line)
    text = "\n".join(out).replace("'", "''")
    print(f"INSERT INTO pm_configs (project, config) VALUES ('p{i:04d}', '{text}');")
EOF
"${PSQL[@]}" -f "$WORK/configs.sql" >/dev/null
"${PSQL[@]}" -c "INSERT INTO pm_entries SELECT 'p' || lpad(n::text, 4, '0'), id, kind, recorded_at,
  effective_at, author, source, text, ref, due, data, prev_hash, hash, number, kind_number
  FROM pm_entries CROSS JOIN generate_series(2, $PROJECTS) n WHERE project = 'p0001' ORDER BY n, id"
"${PSQL[@]}" -c "INSERT INTO pm_nps_answers SELECT 'p' || lpad(n::text, 4, '0'), id, entry_id,
  answered_on, score, client, contact, manager, fingerprint, comment, at
  FROM pm_nps_answers CROSS JOIN generate_series(2, $PROJECTS) n WHERE project = 'p0001' ORDER BY n, id"
say "copied in $(($(ms) - start)) ms; $("${PSQL[@]}" -c "SELECT count(*) FROM pm_entries") entries, $("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_database_size('pm_test'))")"

# 1. Append latency.
(cd "$WORK" && "$PM" ledger join "$URL#p0002" one 2>/dev/null)
"${PSQL[@]}" -c "INSERT INTO pm_projects (project) VALUES ('psql-baseline')"
PSQL_INSERT="INSERT INTO pm_entries (project, id, kind, recorded_at, effective_at, author, source,
  text, data, prev_hash, hash) SELECT 'psql-baseline', COALESCE(max(id), 0) + 1, 'done',
  '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z', 'Anna Petrova', 'cli',
  'Согласовали макет главной страницы и порядок работ на неделю', '{}',
  COALESCE((SELECT hash FROM pm_entries WHERE project = 'psql-baseline' ORDER BY id DESC LIMIT 1), ''),
  md5(random()::text) || md5(random()::text) FROM pm_entries WHERE project = 'psql-baseline'"
pm_times=() psql_times=()
for ((i = 0; i < PAIRS; i++)); do
  if ((RANDOM % 2)); then order="pm psql"; else order="psql pm"; fi
  for side in $order; do
    start=$(date +%s%N)
    if [ "$side" = pm ]; then
      (cd "$WORK/one" && "$PM" done "Согласовали макет главной страницы и порядок работ на неделю" >/dev/null)
      pm_times+=($((($(date +%s%N) - start) / 1000)))
    else
      "${PSQL[@]}" -c "$PSQL_INSERT" >/dev/null
      psql_times+=($((($(date +%s%N) - start) / 1000)))
    fi
  done
done
pm_med=$(printf '%s\n' "${pm_times[@]}" | median)
psql_med=$(printf '%s\n' "${psql_times[@]}" | median)
echo "append latency ($PAIRS interleaved pairs): pm done ${pm_med} us, psql INSERT ${psql_med} us, ratio $(awk -v a="$pm_med" -v b="$psql_med" 'BEGIN { printf "%.2f", a / b }')"

# 2. Twenty concurrent writers.
writers() {  # writers LABEL KEY-OF-WRITER-i...
  local label=$1
  shift
  local i=0
  for key in "$@"; do
    (cd "$WORK" && "$PM" ledger join "$URL#$key" "w-$label-$i" >/dev/null 2>>"$WORK/join-errors") || { cat "$WORK/join-errors" >&2; return 1; }
    i=$((i + 1))
  done
  local before
  before=$("${PSQL[@]}" -c "SELECT count(*) FROM pm_entries")
  local start
  start=$(ms)
  for ((i = 0; i < $#; i++)); do
    (cd "$WORK/w-$label-$i" && for ((k = 0; k < WRITES; k++)); do "$PM" done "writer $i append $k" >/dev/null 2>>"$WORK/errors-$label" || echo fail >>"$WORK/errors-$label"; done) &
  done
  wait
  local elapsed=$(($(ms) - start))
  local after
  after=$("${PSQL[@]}" -c "SELECT count(*) FROM pm_entries")
  local expected=$(($# * WRITES))
  local verified=0
  for ((i = 0; i < $#; i++)); do
    (cd "$WORK/w-$label-$i" && "$PM" verify >/dev/null 2>&1) && verified=$((verified + 1))
  done
  echo "20 writers, $label: $expected appends in $elapsed ms ($(awk -v n="$expected" -v t="$elapsed" 'BEGIN { printf "%.0f", n * 1000 / t }')/s), $((expected - (after - before))) lost, $(wc -l <"$WORK/errors-$label" 2>/dev/null || echo 0) failed, pm verify ok in $verified of $# checkouts"
}
touch "$WORK/errors-different" "$WORK/errors-one"
different=()
for ((i = 3; i < 23; i++)); do different+=("p$(printf %04d "$i")"); done
writers different "${different[@]}"
same=()
for ((i = 0; i < 20; i++)); do same+=(p0023); done
writers one "${same[@]}"

# 3. The portfolio over every project, from a machine with no checkout.
export XDG_DATA_HOME=$WORK/data2 XDG_CACHE_HOME=$WORK/cache2
mkdir -p "$XDG_DATA_HOME/pm"
start=$(ms)
"$PM" portfolio --server "$URL" >/dev/null 2>"$WORK/portfolio-errors"
echo "pm portfolio --server, first run (copies $PROJECTS ledgers into the cache): $(($(ms) - start)) ms"
times=()
for ((r = 0; r < RUNS; r++)); do
  start=$(ms)
  "$PM" portfolio --server "$URL" >/dev/null 2>>"$WORK/portfolio-errors"
  times+=($(($(ms) - start)))
done
echo "pm portfolio --server, warm: min $(printf '%s\n' "${times[@]}" | sort -n | head -n 1) ms, median $(printf '%s\n' "${times[@]}" | median) ms ($RUNS runs, $("$PM" portfolio --server "$URL" --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["projects"]))') projects)"
[ -s "$WORK/portfolio-errors" ] && head -n 3 "$WORK/portfolio-errors" >&2
exit 0
