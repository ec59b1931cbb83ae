#!/usr/bin/env bash
# Benchmark (not a test): rigger and Ansible side by side on the same lab nodes, cold and warm, plus the
# native floor and facts latency. Writes bench/results/<date>.json and .png and prints a table.
#
#   bench/run.sh                          # 10 nodes, 3 repetitions
#   bench/run.sh --nodes 10,50 --repeat 3
#   bench/run.sh --nodes 2 --repeat 1     # smoke (CI): a few minutes
#   RIGGER_BUILD_DIR=controller/target-x bench/run.sh ...   # another controller build (default controller/target)
#   RIGGER_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/rigger.jfr' bench/run.sh ...   # profile the controller
#
# Needs root, dockerd, ansible (Debian package `ansible`: ansible-core and the community.general and
# ansible.posix collections), /usr/bin/time (Debian `time`), curl, and python3-matplotlib for the chart.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="${RIGGER_BUILD_DIR:-controller/target}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
if ! ls "$build"/rigger-controller-*.jar >/dev/null 2>&1 || [ ! -f "$build/agent/rigger-agent.jar" ] || [ ! -d "$build/lib" ]; then
  if [ -n "${RIGGER_BUILD_DIR:-}" ]; then
    echo "bench/run.sh: no controller build in $build (rigger-controller jar, lib, agent/rigger-agent.jar)" >&2
    exit 2
  fi
  "$root/bin/rigger" --version >/dev/null   # builds controller/target on first use
fi
for tool in ansible-playbook docker curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is missing (see bin/setup-machine)" >&2; exit 2; }
done
# Debian's python: matplotlib comes from its packages, whatever python3 comes first on PATH
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" "$root/bench/compare.py" --build-dir "$build" "$@"
