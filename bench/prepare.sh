#!/usr/bin/env bash
# Benchmark (not a test): `rigger play playbooks/prepare-hosts.json` on fresh lab nodes (cold: the
# first run, which ships the runtime and the agent and changes everything) and right after (warm:
# changes nothing). Prints wall times per rep and their median, the agent jar size and the bytes
# shipped per host.
#
#   bench/prepare.sh                # 3 nodes, 3 reps
#   NODES=10 REPS=5 bench/prepare.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NODES="${NODES:-3}"
REPS="${REPS:-3}"
LAB="${LAB:-bench}"
STATE="$(mktemp -d)"
rigger() { "$root/bin/rigger" "$@"; }
trap 'rigger lab down --name "$LAB" --state "$STATE" >/dev/null 2>&1 || true; rm -rf "$STATE"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

rigger --version >/dev/null   # builds on first use, outside the timings
cold=(); warm=()
for rep in $(seq 1 "$REPS"); do
  rigger lab down --name "$LAB" --state "$STATE" >/dev/null
  rm -rf "$STATE/runs" "$STATE/state.json" "$STATE/known_hosts"
  rigger lab up --name "$LAB" --state "$STATE" --nodes "$NODES" --disk-size 4G >/dev/null
  # a fresh lab's nodes have no runtime and no agent: the cold run ships both
  t0=$(now); rigger play playbooks/prepare-hosts.json --state "$STATE" --lab "$LAB" --forks "$NODES" > "$STATE/cold.out"; t1=$(now)
  rigger play playbooks/prepare-hosts.json --state "$STATE" --lab "$LAB" --forks "$NODES" > "$STATE/warm.out"; t2=$(now)
  grep -q "changed=0 " "$STATE/warm.out" || { echo "warm run changed something:"; cat "$STATE/warm.out"; exit 1; }
  c=$(awk "BEGIN {print $t1 - $t0}"); w=$(awk "BEGIN {print $t2 - $t1}")
  cold+=("$c"); warm+=("$w")
  printf 'rep %d: cold %.2f s, warm %.2f s\n' "$rep" "$c" "$w"
done

first_log=$(ls -tr "$STATE"/runs/*.jsonl | tail -2 | head -1)
python3 - "$first_log" <<'PY'
import json, sys
shipped = [json.loads(l) for l in open(sys.argv[1]) if '"HostConnected"' in l]
for e in shipped:
    print(f"shipped to {e['host']}: {e['bytesShipped']:,} bytes (runtime: {e['runtimeShipped']}, agent: {e['agentShipped']}), connect {e['tookMs']} ms")
PY
printf 'agent jar: %s bytes\n' "$(stat -c %s controller/target/agent/rigger-agent.jar)"
printf 'nodes=%d reps=%d  cold median %.2f s  warm median %.2f s\n' "$NODES" "$REPS" \
  "$(printf '%s\n' "${cold[@]}" | median)" "$(printf '%s\n' "${warm[@]}" | median)"
