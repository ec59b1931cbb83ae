#!/usr/bin/env bash
# Randomised crash run (not a unit test): ITER times, `rigger play playbooks/ecs-lab.json` is killed with
# SIGKILL at a random moment, then a clean run follows. After every crash the state file must parse;
# after every clean run: the run completes (exit 0), each node has exactly one fstab line for its data
# disk, no disk was reformatted (same XFS UUID as the first time it was made), and the ECS simulator
# holds no duplicate object. Every RESET_EVERY iterations the lab is made anew, so kills also land in
# the cold phases (shipping the runtime and the image, partitioning, mkfs).
#
#   bench/crash.sh                    # 20 crashes on 3 nodes
#   ITER=2 bench/crash.sh             # the smoke run CI makes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ITER="${ITER:-20}"
NODES="${NODES:-3}"
RESET_EVERY="${RESET_EVERY:-5}"
MAX_DELAY="${MAX_DELAY:-45}"
LAB="${LAB:-crash}"
STATE="$(mktemp -d)"
rigger() { "$root/bin/rigger" "$@"; }
trap 'rigger lab down --name "$LAB" --state "$STATE" >/dev/null 2>&1 || true; rm -rf "$STATE"' EXIT
PLAY=(play playbooks/ecs-lab.json --state "$STATE" --lab "$LAB" -e ecs_boot_delay=3 -e ecs_store_ready=2)

fail() { echo "FAIL (iteration $i): $*"; exit 1; }
node() { docker exec "$LAB-node$1" sh -c "$2"; }

lab_up() {
  rigger lab down --name "$LAB" --state "$STATE" >/dev/null 2>&1 || true
  rm -rf "$STATE/runs" "$STATE/state.json" "$STATE/known_hosts" "$STATE/ecs"
  rigger lab up --name "$LAB" --state "$STATE" --nodes "$NODES" --disk-size 2G >/dev/null
  declare -gA uuid=()
}

# the XFS UUID each node's data partition got first; a different one later means it was reformatted
check_disks() {
  for k in $(seq 1 "$NODES"); do
    u=$(node "$k" "blkid -p -s UUID -o value /dev/xvdf1 2>/dev/null || true")
    [ -n "$u" ] || fail "node$k: no filesystem on /dev/xvdf1 after a clean run"
    if [ -z "${uuid[$k]:-}" ]; then uuid[$k]="$u"; fi
    [ "$u" = "${uuid[$k]}" ] || fail "node$k: /dev/xvdf1 was reformatted (${uuid[$k]} -> $u)"
    lines=$(node "$k" "grep -c ' /ecs/uuid-' /etc/fstab || true")
    [ "$lines" = 1 ] || fail "node$k: $lines fstab lines for the data disk"
  done
}

check_simulator() {
  node 1 "cat /data/ecssim/state.json" | python3 -c '
import json, sys
s = json.load(sys.stdin)
expected = {"storagePools": 1, "dataStores": int(sys.argv[1]), "vdcs": 1, "replicationGroups": 1, "namespaces": 1, "users": 1}
for key, want in expected.items():
    names = [o.get("name") or o.get("id") for o in s.get(key, [])]
    if len(names) != want or len(set(names)) != len(names):
        print(f"simulator {key}: {names} (expected {want}, no duplicates)")
        sys.exit(1)
' "$NODES" || fail "duplicate or missing objects in the ECS simulator"
}

rigger --version >/dev/null   # builds on first use
lab_up
for i in $(seq 1 "$ITER"); do
  if [ "$i" -gt 1 ] && [ $(( (i - 1) % RESET_EVERY )) -eq 0 ]; then lab_up; fi
  delay=$(python3 -c "import random; print(round(random.uniform(0.5, $MAX_DELAY), 1))")
  # started directly, not through the function, so $! is bin/rigger: the JVM itself (it execs java), or,
  # on the first play after a build, the shell that waits for the JVM writing the class-data archive
  "$root/bin/rigger" "${PLAY[@]}" > "$STATE/killed.out" 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 $(pgrep -P "$pid" 2>/dev/null) "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  reached=$( { ls "$STATE"/runs/*.jsonl 2>/dev/null | tail -1 | xargs -r grep -h '"TaskStarted"' || true; } | tail -1 \
    | python3 -c 'import json,sys; l=sys.stdin.read().strip(); print(json.loads(l)["task"] if l else "connecting")')
  if [ -f "$STATE/state.json" ]; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$STATE/state.json" \
      || fail "state.json does not parse after a kill at ${delay} s"
  fi
  t0=$(date +%s.%N)
  rigger "${PLAY[@]}" > "$STATE/clean.out" 2>&1 || { tail -40 "$STATE/clean.out"; fail "the clean run after a kill at ${delay} s ($reached) did not complete"; }
  t1=$(date +%s.%N)
  check_disks
  check_simulator
  printf 'iteration %2d: killed at %5.1f s during "%s"; clean run %.1f s, complete\n' "$i" "$delay" "$reached" \
    "$(awk "BEGIN {print $t1 - $t0}")"
done
echo "crashes: $ITER, clean runs complete: $ITER, duplicates: 0, second fstab lines: 0, reformatted disks: 0"
