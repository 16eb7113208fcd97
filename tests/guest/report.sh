#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Turns the result files of a guest run into the side-by-side table, the figures and the verdict.
#
#   tests/guest/report.sh --known known-differences.txt --work DIR [--seconds N] CONFIG...
#
# Reads DIR/CONFIG/guest.results and DIR/CONFIG/host.results (RESULT and METRIC lines). Exit 1 when a check failed
# that known-differences.txt does not list for that configuration.
set -euo pipefail

known_file=
work=
total_secs=
while [ $# -gt 0 ]; do
    case $1 in
        --known) known_file=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --seconds) total_secs=$2; shift 2 ;;
        --) shift; break ;;
        -*) echo "report.sh: unknown argument $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
configs=("$@")
[ -n "$work" ] && [ ${#configs[@]} -gt 0 ] || { echo "usage: report.sh --known FILE --work DIR CONFIG..." >&2; exit 2; }

# known[config|check] = "EXPECT|why" for the first matching line of the list.
declare -A known=()
known_lines=()
if [ -n "$known_file" ] && [ -f "$known_file" ]; then
    while IFS= read -r line; do
        case $line in ''|'#'*) continue ;; esac
        known_lines+=("$line")
    done < "$known_file"
fi
lookup_known() {  # config check -> prints "EXPECT why" or nothing
    local l pat chk exp why
    for l in "${known_lines[@]}"; do
        read -r pat chk exp why <<<"$l"
        # shellcheck disable=SC2053
        if [[ $1 == $pat ]] && [[ $2 == $chk ]]; then echo "$exp $why"; return; fi
    done
}

declare -A status=() detail=()
declare -A metric=()
checks=()
declare -A seen_check=()
for c in "${configs[@]}"; do
    for f in "$work/$c/guest.results" "$work/$c/host.results"; do
        [ -f "$f" ] || continue
        while IFS= read -r line; do
            case $line in
                "RESULT "*)
                    read -r _ name st rest <<<"$line"
                    [ -n "${status[$c|$name]:-}" ] && continue
                    status[$c|$name]=$st
                    detail[$c|$name]=$rest
                    if [ -z "${seen_check[$name]:-}" ]; then seen_check[$name]=1; checks+=("$name"); fi ;;
                "METRIC "*)
                    read -r _ name kv <<<"$line"
                    metric[$c|$name]=$kv ;;
            esac
        done < "$f"
    done
done

passed=0 failed=0 skipped=0 known_hits=0 surprises=0
unexpected=() unexpected_pass=() known_seen=()
declare -A cell=()
for name in "${checks[@]}"; do
    for c in "${configs[@]}"; do
        st=${status[$c|$name]:-}
        k=$(lookup_known "$c" "$name")
        kexp=${k%% *}
        case $st in
            PASS)
                passed=$((passed + 1))
                if [ "$kexp" = FAIL ]; then
                    cell[$c|$name]='PASS!'
                    surprises=$((surprises + 1))
                    unexpected_pass+=("$c $name: listed as a known failure but passed (${detail[$c|$name]})")
                else
                    cell[$c|$name]=PASS
                fi ;;
            FAIL)
                if [ "$kexp" = FAIL ]; then
                    cell[$c|$name]=known
                    known_hits=$((known_hits + 1))
                    skipped=$((skipped + 1))
                    known_seen+=("$c $name: ${k#* }")
                else
                    cell[$c|$name]=FAIL
                    failed=$((failed + 1))
                    unexpected+=("$c $name: ${detail[$c|$name]}")
                fi ;;
            SKIP)
                cell[$c|$name]=skip
                skipped=$((skipped + 1)) ;;
            *) cell[$c|$name]=- ;;
        esac
    done
done

# ---- table --------------------------------------------------------------------------------------------------
w=30
printf '\n%-*s' "$w" "check"
for c in "${configs[@]}"; do printf ' %-19s' "$c"; done
printf '\n%-*s' "$w" "-----"
for c in "${configs[@]}"; do printf ' %-19s' "-------------------"; done
printf '\n'
for name in "${checks[@]}"; do
    printf '%-*s' "$w" "$name"
    for c in "${configs[@]}"; do printf ' %-19s' "${cell[$c|$name]}"; done
    printf '\n'
done
echo
echo "PASS / FAIL = unexpected failure / known = failure listed in known-differences.txt / skip / PASS! = listed but passed / - = not run"

# ---- figures ------------------------------------------------------------------------------------------------
kv() {  # "a=1 b=2" key -> value
    local pair
    for pair in $1; do [ "${pair%%=*}" = "$2" ] && { echo "${pair#*=}"; return; }; done
    echo -
}
mib() { [ "$1" = - ] && echo - || awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
echo
printf '%-20s %-17s %-17s %-17s %-20s %-7s %-7s\n' configuration "fio 4k w/r MiB/s" "fio 1m w/r MiB/s" \
    "rand4k w/r MiB/s" "dbench MB/s (ms)" "tree s" "guest s"
for c in "${configs[@]}"; do
    f4=${metric[$c|fio_4k]:-} f1=${metric[$c|fio_1m]:-} fr=${metric[$c|fio_rand4k]:-}
    db=${metric[$c|dbench]:-} tr=${metric[$c|tree]:-} gs=${metric[$c|guest]:-}
    printf '%-20s %-17s %-17s %-17s %-20s %-7s %-7s\n' "$c" \
        "$(mib "$(kv "$f4" write_kib_s)")/$(mib "$(kv "$f4" verify_read_kib_s)")" \
        "$(mib "$(kv "$f1" write_kib_s)")/$(mib "$(kv "$f1" verify_read_kib_s)")" \
        "$(mib "$(kv "$fr" write_kib_s)")/$(mib "$(kv "$fr" verify_read_kib_s)")" \
        "$(kv "$db" mb_s) ($(kv "$db" max_latency_ms))" "$(kv "$tr" seconds)" "$(kv "$gs" seconds)"
done
[ -n "$total_secs" ] && echo "all configurations: ${total_secs} s"

# ---- verdict -------------------------------------------------------------------------------------------------
if [ ${#known_seen[@]} -gt 0 ]; then
    echo
    echo "Known differences seen (${#known_seen[@]}):"
    printf '  %s\n' "${known_seen[@]}"
fi
if [ ${#unexpected_pass[@]} -gt 0 ]; then
    echo
    echo "!!! UNEXPECTED PASSES (${#unexpected_pass[@]}): prune known-differences.txt"
    printf '  %s\n' "${unexpected_pass[@]}"
fi
if [ ${#unexpected[@]} -gt 0 ]; then
    echo
    echo "UNEXPECTED FAILURES (${#unexpected[@]}):"
    printf '  %s\n' "${unexpected[@]}"
fi
echo
echo "($skipped skipped = $known_hits known differences + $((skipped - known_hits)) skips)"
echo "guest: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
