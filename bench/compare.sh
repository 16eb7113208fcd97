#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# ninefs against diod on the same export directory, on loopback, in the same run: every point of the matrix
# against both servers (and against the null responder, which shows the load generator's own ceiling),
# interleaved, N repetitions each; then one table of min/median/max per server and the median ratio
# ninefs/diod, with the loopback limits (1-byte ping-pong round trips/s, one-way stream MB/s) measured
# between the repetitions.
#
#   bench/compare.sh                 # the full matrix, 3 repetitions (about 15 minutes)
#   bench/compare.sh --quick         # smoke test: short points, 1 repetition (about 2 minutes)
#   bench/compare.sh --reps 5 --duration 10 --warmup 3 --only getattr
#
# Needs: a JDK 25 (bin/ninefs finds it), diod (apt-get install diod), jq. Run as root so that diod lets the
# client attach as root (-n, no authentication) and ninefs can pass ownership through.
# Environment: NINEFS (the ninefs launcher, default bin/ninefs), SERVER_JAVA_OPTS (extra JVM flags for the ninefs
# server, e.g. -XX:StartFlightRecording=filename=/tmp/s.jfr,settings=profile), EXPORT_OPTS (appended to the ninefs
# export, e.g. ',readdir_cache=off' for uncached listings), SERVE_OPTS (extra `ninefs serve` arguments, e.g.
# '--spin 0'), BENCH_OPTS (extra `ninefs bench` arguments for every point, e.g. '--spin 0').
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
ninefs=${NINEFS:-$here/bin/ninefs}
reps=3
duration=5
warmup=2
only=""
quick=0
out_dir="$here/bench/results"
command_line="${SERVE_OPTS:+SERVE_OPTS='$SERVE_OPTS' }${BENCH_OPTS:+BENCH_OPTS='$BENCH_OPTS' }${EXPORT_OPTS:+EXPORT_OPTS='$EXPORT_OPTS' }bench/compare.sh $*"

usage() {
    sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; reps=1; duration=1; warmup=0.5 ;;
        --reps) reps=$2; shift ;;
        --duration) duration=$2; shift ;;
        --warmup) warmup=$2; shift ;;
        --only) only=$2; shift ;;
        --out) out_dir=$2; shift ;;
        -h|--help) usage ;;
        *) echo "compare.sh: unknown option $1" >&2; usage ;;
    esac
    shift
done

for tool in diod jq; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
        echo "compare.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
diod_bin=$(command -v diod || echo /usr/sbin/diod)
. "$here/bin/java-home.sh"
ninefs_find_java

# The matrix: name|metric|bench arguments. metric is what the table shows: ops/s or MB/s.
matrix=(
    "getattr 1x1|ops|-w getattr -c 1 -d 1"
    "getattr 4x16|ops|-w getattr -c 4 -d 16"
    "read 4k 1x1|ops|-w read -b 4k -c 1 -d 1"
    "read 4k 4x16|ops|-w read -b 4k -c 4 -d 16"
    "write 4k 1x1|ops|-w write -b 4k -c 1 -d 1"
    "write 4k 4x16|ops|-w write -b 4k -c 4 -d 16"
    "read 1M 1x1|MB|-w read -b 1M -c 1 -d 1 --msize 1M"
    "write 1M 1x1|MB|-w write -b 1M -c 1 -d 1 --msize 1M"
    "create 1x1|ops|-w create -c 1 -d 1"
    "create 4x16|ops|-w create -c 4 -d 16"
    "readdir 10k 1x1|ops|-w readdir --entries 10000 -c 1 -d 1"
    "mixed 4x16|ops|-w mixed -b 4k -c 4 -d 16"
)

work=$(mktemp -d /tmp/ninefs-compare.XXXXXX)
export_dir="$work/export"
mkdir -p "$export_dir"
results="$work/results.jsonl"
: > "$results"
pids=()

stop_servers() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}
cleanup() {
    stop_servers
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

wait_listening() { # PORT PID NAME LOG
    local i
    for i in $(seq 1 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$2" 2>/dev/null; then
            echo "compare.sh: $3 died at start:" >&2
            cat "$4" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "compare.sh: $3 does not listen on port $1 after 30 s" >&2
    exit 1
}

ninefs_port=$(free_port)
diod_port=$(free_port)
null_port=$(free_port)

echo "compare.sh: building ninefs if needed" >&2
"$ninefs" --version >/dev/null

NINEFS_JAVA_OPTS="${SERVER_JAVA_OPTS:-}" "$ninefs" serve \
    --export "tag=share,path=$export_dir,security_model=passthrough${EXPORT_OPTS:-}" \
    --listen "tcp://127.0.0.1:$ninefs_port" --msize 1M ${SERVE_OPTS:-} >"$work/ninefs.log" 2>&1 &
ninefs_pid=$!
pids+=("$ninefs_pid")
"$diod_bin" -f -n -c /dev/null -L stderr -l "127.0.0.1:$diod_port" -e "$export_dir" >"$work/diod.log" 2>&1 &
diod_pid=$!
pids+=("$diod_pid")
"$ninefs" bench-null --listen "tcp://127.0.0.1:$null_port" --msize 1M --entries 10000 >"$work/null.log" 2>&1 &
null_pid=$!
pids+=("$null_pid")
wait_listening "$ninefs_port" "$ninefs_pid" ninefs "$work/ninefs.log"
wait_listening "$diod_port" "$diod_pid" diod "$work/diod.log"
wait_listening "$null_port" "$null_pid" bench-null "$work/null.log"

declare -A server_pid=([ninefs]=$ninefs_pid [diod]=$diod_pid [null]=$null_pid)
declare -A target=(
    [ninefs]="tcp://127.0.0.1:$ninefs_port/share"
    [diod]="tcp://127.0.0.1:$diod_port/ --aname $export_dir"
    [null]="tcp://127.0.0.1:$null_port/null"
)

run_point() { # SERVER NAME METRIC ARGS REP
    local server=$1 name=$2 metric=$3 args=$4 rep=$5 line status=0
    # shellcheck disable=SC2086 # the arguments are words on purpose
    line=$("$ninefs" bench ${target[$server]} $args ${BENCH_OPTS:-} --duration "$duration" --warmup "$warmup" --keep --json \
        --quiet --user root --uid 0 --server-pid "${server_pid[$server]}" 2>>"$work/bench.err") || status=$?
    if [ -z "$line" ]; then
        line='{"ok":false,"error":"no output"}'
    fi
    echo "$line" | jq -c --arg server "$server" --arg point "$name" --arg metric "$metric" --argjson rep "$rep" \
        --argjson status "$status" '. + {server: $server, point: $point, metric: $metric, rep: $rep, exit: $status}' \
        >>"$results"
    printf '  %-16s %-7s %s\n' "$name" "$server" \
        "$(echo "$line" | jq -r 'if .ok then "\(.ops_per_s|floor) ops/s  \(.mb_per_s|floor) MB/s" else "FAILED: \(.error // .error_kinds)" end')" >&2
}

loopback() { # REP
    "$JAVA_HOME/bin/java" "$here/bench/Loopback.java" "$duration" |
        jq -c --argjson rep "$1" '. + {server: "loopback", point: "loopback", rep: $rep, ok: true}' >>"$results"
}

# The ninefs server is a JVM: let the JIT compile its hot paths before anything is measured, as it would have in
# a server that has been up for a while. diod gets the same unmeasured load, so both start with warm caches.
warm=$([ "$quick" = 1 ] && echo 2 || echo 8)
echo "compare.sh: warming up the servers (${warm} s of mixed load and a readdir each, not measured)" >&2
for server in ninefs diod; do
    # shellcheck disable=SC2086
    "$ninefs" bench ${target[$server]} -w mixed -c 4 -d 16 --duration "$warm" --warmup 0 --keep --quiet \
        --user root --uid 0 >/dev/null 2>>"$work/bench.err" || true
    # shellcheck disable=SC2086
    "$ninefs" bench ${target[$server]} -w readdir --entries 10000 --duration 1 --warmup 0 --keep --quiet \
        --user root --uid 0 >/dev/null 2>>"$work/bench.err" || true
done

start_time=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for rep in $(seq 1 "$reps"); do
    echo "compare.sh: repetition $rep of $reps" >&2
    loopback "$rep"
    for entry in "${matrix[@]}"; do
        IFS='|' read -r name metric args <<<"$entry"
        if [ -n "$only" ] && [[ "$name" != *"$only"* ]]; then
            continue
        fi
        # Alternate which server goes first, so that neither always runs on a machine the other warmed up.
        if [ $((rep % 2)) -eq 1 ]; then order="ninefs diod null"; else order="diod ninefs null"; fi
        for server in $order; do
            run_point "$server" "$name" "$metric" "$args" "$rep"
        done
    done
done
loopback "$((reps + 1))"

# ---- the table -------------------------------------------------------------------------------------------
table=$(jq -rs --argjson reps "$reps" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[(length - 1) / 2]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def fmt: if . == null then "-" elif . >= 100 then (. | floor | tostring)
           else ((. * 10 | floor) / 10 | tostring) end;
  def stats($xs): if ($xs | length) == 0 then "-"
                  else "\($xs | min | fmt) / \($xs | median | fmt) / \($xs | max | fmt)" end;
  . as $all
  | ($all | map(select(.server == "loopback"))) as $lo
  | ($all | map(select(.server != "loopback")) | map(.point) | reduce .[] as $p ([]; if index($p) then . else . + [$p] end)) as $order
  | "| point | unit | ninefs min / median / max | diod min / median / max | ninefs/diod | server CPU us/op, ninefs / diod | null (generator ceiling) | generator CPU us/op |",
    "|---|---|---|---|---|---|---|---|",
    ( $order[] as $p
      | ($all | map(select(.point == $p))) as $rows
      | ($rows[0].metric == "MB") as $mb
      | (if $mb then "MB/s" else "ops/s" end) as $unit
      | def ok($s): $rows | map(select(.server == $s and .ok == true));
      def vals($s): ok($s) | map(if $mb then .mb_per_s else .ops_per_s end);
      def cpu($s): ok($s) | map(.server_cpu_us_per_op) | median | fmt;
      def failed($s): $rows | map(select(.server == $s and .ok != true)) | length;
      def mark($s): if failed($s) > 0 then " (\(failed($s)) FAILED)" else "" end;
      (vals("ninefs") | median) as $n | (vals("diod") | median) as $d
      | "| \($p) | \($unit) | \(stats(vals("ninefs")))\(mark("ninefs")) | \(stats(vals("diod")))\(mark("diod")) | \(if $n != null and $d != null and $d > 0 then (($n / $d * 100 | floor) / 100 | tostring) + "x" else "-" end) | \(cpu("ninefs")) / \(cpu("diod")) | \(vals("null") | median | fmt)\(mark("null")) | \(ok("ninefs") | map(.client_cpu_us_per_op) | median | fmt) |"
    ),
    "",
    "Loopback limits in this run (min / median / max over \($lo | length) measurements): 1-byte TCP ping-pong \(stats($lo | map(.pingpong_per_s))) round trips/s; one-way stream \(stats($lo | map(.stream_mb_per_s))) MB/s."
' "$results")

failures=$(jq -s '[.[] | select(.ok != true)] | length' "$results")
{
    echo "# ninefs vs diod, $start_time"
    echo
    echo "Command: \`$command_line\` (repetitions $reps, ${duration} s measured after ${warmup} s warm-up per point)"
    echo
    echo "Machine: $(nproc) CPUs, $(uname -srm), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
        "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Servers: ninefs (local backend, passthrough${EXPORT_OPTS:-}, msize 1M) and diod" \
        "$(dpkg-query -W -f='${Version}' diod 2>/dev/null || true) exporting the same directory;" \
        "the null responder answers without a file system."
    echo "Client: ninefs bench (one JVM per point, launcher $ninefs), asking msize 1M; diod grants at most 64 KiB."
    echo "CPU columns: CPU time of the server process (and of the generator, against ninefs) in the measured"
    echo "window divided by the operations: the cost per operation, which holds up better than throughput when"
    echo "the machine is shared. The null column is the same generator against a responder that does nothing."
    echo
    echo "$table"
    echo
    if [ "$failures" -gt 0 ]; then
        echo "**$failures runs FAILED** (their figures are left out):"
        echo
        jq -r 'select(.ok != true) | "- \(.server) \(.point) rep \(.rep): \(.error // (.error_kinds | tostring))"' "$results"
        echo
    fi
    echo "<details><summary>Raw results (one JSON line per run)</summary>"
    echo
    echo '```'
    cat "$results"
    echo '```'
    echo "</details>"
} >"$work/report.md"

mkdir -p "$out_dir"
report="$out_dir/$(date -u +%Y-%m-%d-%H%M).md"
cp "$work/report.md" "$report"
echo
echo "$table"
echo
echo "compare.sh: written to ${report#"$here"/}" >&2
if [ "$failures" -gt 0 ]; then
    echo "compare.sh: $failures runs FAILED; see the report" >&2
    exit 1
fi
