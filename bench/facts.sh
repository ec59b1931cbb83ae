#!/usr/bin/env bash
# Benchmark (not a test): how fast facts come back while a `rigger serve` has the agents attached.
# Times N queries of `GET /api/hosts/node1/facts` (curl) and N runs of `rigger facts node1` (a new JVM
# each time, which finds the server through the state directory), and prints p50 and p99 of each.
#
#   bench/facts.sh              # 3 nodes, 100 queries each
#   QUERIES=20 bench/facts.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NODES="${NODES:-3}"
QUERIES="${QUERIES:-100}"
LAB="${LAB:-benchfacts}"
STATE="$(mktemp -d)"
rigger() { "$root/bin/rigger" "$@"; }
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  rigger lab down --name "$LAB" --state "$STATE" >/dev/null 2>&1 || true
  rm -rf "$STATE"
}
trap cleanup EXIT

percentiles() { sort -n | awk '{a[NR]=$1} END {p50=a[int((NR+1)*0.50)]; i=int(NR*0.99+0.999); if (i>NR) i=NR; printf "p50 %.1f ms  p99 %.1f ms  (n=%d)", p50, a[i], NR}'; }

rigger --version >/dev/null   # builds on first use, outside the timings
rigger lab up --name "$LAB" --state "$STATE" --nodes "$NODES" --disk-size 2G >/dev/null
rigger play playbooks/prepare-hosts.json --state "$STATE" --lab "$LAB" >/dev/null

# not through the function: $! must be the server itself (bin/rigger execs java), or killing it leaves the
# server running
"$root/bin/rigger" serve --state "$STATE" --lab "$LAB" --port 0 > "$STATE/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 1 600); do
  if [ -f "$STATE/serve.json" ] && [ -f "$STATE/serve.token" ]; then
    port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$STATE/serve.json")
    token=$(cat "$STATE/serve.token")
    attached=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/hosts" \
      | python3 -c 'import json,sys; print(sum(h["connected"] for h in json.load(sys.stdin)["hosts"]))' 2>/dev/null || echo 0)
    [ "$attached" = "$NODES" ] && break
  fi
  kill -0 "$serve_pid" 2>/dev/null || { echo "rigger serve exited:"; cat "$STATE/serve.out"; exit 1; }
  sleep 0.2
done
[ "${attached:-0}" = "$NODES" ] || { echo "agents not attached:"; cat "$STATE/serve.out"; exit 1; }

api=(); cli=()
for _ in $(seq 1 "$QUERIES"); do
  out=$(curl -s -o "$STATE/facts.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/api/hosts/node1/facts")
  [ "${out%% *}" = 200 ] || { echo "API answered ${out%% *}"; cat "$STATE/facts.json"; exit 1; }
  grep -q '"source":"live"' "$STATE/facts.json" || { echo "not live:"; head -c 300 "$STATE/facts.json"; exit 1; }
  api+=("$(awk "BEGIN {print ${out#* } * 1000}")")
done
for _ in $(seq 1 "$QUERIES"); do
  t0=$(date +%s%N)
  rigger facts node1 --json --state "$STATE" --lab "$LAB" > "$STATE/cli.json" 2> "$STATE/cli.err"
  t1=$(date +%s%N)
  if grep -q cached "$STATE/cli.err"; then echo "the CLI did not ask the server:"; cat "$STATE/cli.err"; exit 1; fi
  cli+=("$(( (t1 - t0) / 1000000 ))")
done
printf 'facts via API  (curl, %d nodes attached): %s\n' "$NODES" "$(printf '%s\n' "${api[@]}" | percentiles)"
printf 'facts via CLI  (rigger facts, new JVM):   %s\n' "$(printf '%s\n' "${cli[@]}" | percentiles)"
