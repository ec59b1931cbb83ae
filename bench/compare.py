#!/usr/bin/env python3
"""rigger against Ansible on the same lab nodes, in one invocation (see docs/performance.md).

For each node count: bring up (or grow) a lab without dockerd, then per repetition and per tool (the order
alternates between repetitions): reset the nodes to blank disks, run the tool once (cold) and again (warm,
which must change nothing). Then the native floor (the same work as plain commands on one node) and facts
through a running `rigger serve` against `ansible -m setup`. Writes a JSON file and a PNG chart, prints a table.
Started by bench/run.sh, which finds the controller build.
"""
import argparse
import concurrent.futures
import datetime
import glob
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
RIGGER_PLAYBOOK = os.path.join(BENCH, "prepare-bench.json")
ANSIBLE_DIR = os.path.join(BENCH, "ansible")
ANSIBLE_PLAYBOOK = os.path.join(ANSIBLE_DIR, "prepare-bench.yml")
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
AGENT_MARK = b"/var/lib/rigger/agent/"
OWNER = 444

# Back to a blank node: nothing mounted, no fstab line, no ECS files, /etc/hosts as the lab made it, no
# partition known to the kernel, every block of the data disk discarded (the loop device punches holes into
# its sparse file, so the disk reads as zeros, as a new volume does), and nothing either tool left behind
# (rigger's runtime and agent, Ansible's remote temp).
RESET = r"""
set -e
for m in $(awk '$2 ~ "^/ecs/uuid-" {print $2}' /proc/mounts); do umount "$m"; done
sed -i '\#/ecs/uuid-#d' /etc/fstab
rm -rf /ecs /host /data /var/log/vipr /var/lib/rigger /root/.ansible
[ -f /etc/hosts.bench-orig ] || cp /etc/hosts /etc/hosts.bench-orig
cat /etc/hosts.bench-orig > /etc/hosts
partx -d /dev/xvdf 2>/dev/null || true
rm -f /dev/xvdf1
wipefs -a -q /dev/xvdf
blkdiscard -f /dev/xvdf 2>/dev/null || dd if=/dev/zero of=/dev/xvdf bs=1M count=16 conv=fsync 2>/dev/null
[ -z "$(blkid -p -o value -s PTTYPE /dev/xvdf 2>/dev/null)" ] || { echo "partition table still there"; exit 1; }
set -- $(stat -L -c '%t %T' /dev/xvdf); sys=/sys/dev/block/$((0x$1)):$((0x$2))
if ls $sys | grep -q 'p1$'; then echo "the kernel still knows partition 1"; exit 1; fi
"""

# The same work as the playbooks, as plain commands in one shell on the node, each part timed inside the
# node: the floor no tool can beat. Partitioning with parted, the fastest tool here (it tells the kernel
# about the partition itself, through BLKPG), then the device node for the lab's udev-less nodes.
FLOOR = r"""
set -e
t() { date +%s%N; }
T0=$(t)
parted -s /dev/xvdf mklabel gpt mkpart xfs 0% 100%
set -- $(stat -L -c '%t %T' /dev/xvdf); sys=/sys/dev/block/$((0x$1)):$((0x$2))
[ -e $sys/*p1/dev ] || partx -a --nr 1 /dev/xvdf
d=$(cat $sys/*p1/dev); mknod /dev/xvdf1 b ${d%:*} ${d#*:}
T1=$(t)
mkfs.xfs -q /dev/xvdf1
T2=$(t)
pu=$(blkid -s PARTUUID -o value /dev/xvdf1)
dirs="/ecs /host /host/data /host/files /data /var/log/vipr/emcvipr-object"
mkdir -p $dirs; chown OWNER:OWNER $dirs; chmod 0755 $dirs
mkdir -p /ecs/uuid-$pu
echo "PARTUUID=$pu /ecs/uuid-$pu xfs rw,noatime,attr2,inode64,noquota 0 0" >> /etc/fstab
mount -t xfs -o rw,noatime,attr2,inode64,noquota /dev/xvdf1 /ecs/uuid-$pu
chown OWNER:OWNER /ecs/uuid-$pu; chmod 0755 /ecs/uuid-$pu
T3=$(t)
touch /data/is_community_edition; chown OWNER:OWNER /data/is_community_edition; chmod 0755 /data/is_community_edition
set -- $(ip -4 -o route get 1.1.1.1); ifc=$5; ip=$7; h=$(hostname)
printf '{"data_interface_name":"%s","mgmt_interface_name":"%s","hostname":"%s","replication_ip":"%s","data2_interface_name":"%s","private_ip":"%s","data_ip":"%s","data2_ip":"%s","public_ip":"%s","replication_interface_name":"%s","public_interface_name":"%s","mgmt_ip":"%s","private_interface_name":"%s"}\n' \
  $ifc $ifc $h $ip $ifc $ip $ip $ip $ip $ifc $ifc $ip $ifc > /host/data/network.json
printf '{"agent_id":"%s"}\n' "$(cat /proc/sys/kernel/random/uuid)" > /host/data/id.json
printf '{"endpoint":"https://%s.ecs.lab:9240"}\n' $h > /host/data/agent.json
printf '%s' "SEEDS" > /host/files/seeds
chown OWNER:OWNER /host/data/*.json /host/files/seeds; chmod 0644 /host/data/*.json /host/files/seeds
printf '%s' "HOSTS" >> /etc/hosts
T4=$(t)
echo "$T0 $T1 $T2 $T3 $T4"
"""

# sgdisk alone (rigger's partition module falls back to it where parted is missing): on Linux it waits a second in its disk sync.
SGDISK = r"""
set -e
a=$(date +%s%N); sgdisk -o -n 1:0:0 -t 1:8300 -c 1:xfs /dev/xvdf >/dev/null; b=$(date +%s%N)
echo $(( (b - a) / 1000 ))
"""


def log(msg):
    print(f"[{datetime.datetime.utcnow().strftime('%H:%M:%S')}] {msg}", flush=True)


def run(argv, **kw):
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kw)


def percentile(values, p):
    s = sorted(values)
    if not s:
        return None
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.4999)) - 1))
    return s[k]


def process_cpu(pid):
    """User plus system CPU seconds a process has used so far (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_hwm_kb(pid):
    """A process's peak resident memory so far (VmHWM), kB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


class Rigger:
    """bin/rigger on a build directory (its jar, lib/, agent/rigger-agent.jar): the JVM flags and the
    class-data archive every user's command gets."""

    def __init__(self, build_dir, state):
        self.build_dir = os.path.abspath(build_dir)
        self.state = state
        os.environ["RIGGER_BUILD_DIR"] = self.build_dir
        self.argv = [os.path.join(ROOT, "bin", "rigger")]

    def cmd(self, *args):
        return [*self.argv, *args]

    def agent_jar(self):
        return os.path.join(self.build_dir, "agent", "rigger-agent.jar")


class Lab:
    def __init__(self, rigger, name, disk_size):
        self.rigger = rigger
        self.name = name
        self.disk_size = disk_size
        self.hosts = {}
        self.pids = {}

    def up(self, nodes):
        run(self.rigger.cmd("lab", "up", "--name", self.name, "--state", self.rigger.state, "--nodes", str(nodes),
                            "--disk-size", self.disk_size, "--no-docker"))
        inv = json.load(open(os.path.join(self.rigger.state, "lab", self.name, "inventory.json")))
        self.hosts = dict(sorted(inv["hosts"].items(), key=lambda kv: int(re.sub(r"\D", "", kv[0]) or 0)))
        names = [self.container(n) for n in self.hosts]
        out = run(["docker", "inspect", "-f", "{{.Name}} {{.State.Pid}}", *names]).stdout
        by_container = {line.split()[0].lstrip("/"): int(line.split()[1]) for line in out.splitlines()}
        self.pids = {n: by_container[self.container(n)] for n in self.hosts}

    def down(self):
        r = subprocess.run(self.rigger.cmd("lab", "down", "--name", self.name, "--state", self.rigger.state),
                           capture_output=True, text=True)
        if r.returncode != 0:
            log(f"lab down failed (remove it with `rigger lab down --name {self.name} --state {self.rigger.state}`): "
                + (r.stdout + r.stderr).strip()[-500:])
        return r.returncode == 0

    def container(self, node):
        return f"{self.name}-{node}"

    def netns(self):
        return {os.readlink(f"/proc/{pid}/ns/net"): node for node, pid in self.pids.items()}

    def net_bytes(self):
        """Bytes received and sent by each node's eth0, read from the node's network namespace via /proc."""
        counters = {}
        for node, pid in self.pids.items():
            with open(f"/proc/{pid}/net/dev") as f:
                for line in f:
                    if line.strip().startswith("eth0:"):
                        fields = line.split(":", 1)[1].split()
                        counters[node] = (int(fields[0]), int(fields[8]))
        return counters

    def exec(self, node, script, timeout=120):
        return subprocess.run(["docker", "exec", "-i", self.container(node), "sh", "-s"], input=script, text=True,
                              capture_output=True, timeout=timeout)

    def reset(self, nodes):
        def one(node):
            r = self.exec(node, RESET)
            if r.returncode != 0:
                raise RuntimeError(f"{node}: reset to a blank disk failed: {(r.stdout + r.stderr).strip()}")
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(one, nodes))


class CpuWindow:
    """Busy cores of the whole machine between start and stop, from /proc/stat."""

    @staticmethod
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        return sum(v), idle

    def __enter__(self):
        self.t0, self.total0, self.idle0 = time.monotonic(), *self.read()
        return self

    def __exit__(self, *exc):
        total, idle = self.read()
        dt = time.monotonic() - self.t0
        ticks = os.sysconf("SC_CLK_TCK")
        self.busy = ((total - self.total0) - (idle - self.idle0)) / ticks / dt if dt > 0 else 0.0


class AgentRss:
    """Peak RSS (VmHWM) of every rigger agent in the lab's nodes, sampled from /proc every 0.1 s."""

    def __init__(self, lab):
        self.netns = lab.netns()
        self.peak = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _loop(self):
        while not self._stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        if AGENT_MARK not in f.read():
                            continue
                    node = self.netns.get(os.readlink(f"/proc/{pid}/ns/net"))
                    if node is None:
                        continue
                    with open(f"/proc/{pid}/status") as f:
                        for line in f:
                            if line.startswith("VmHWM:"):
                                kb = int(line.split()[1])
                                self.peak[node] = max(self.peak.get(node, 0), kb)
                except (FileNotFoundError, ProcessLookupError, PermissionError):
                    pass
            self._stop.wait(0.1)


class Harness:
    def __init__(self, args):
        self.args = args
        self.state = tempfile.mkdtemp(prefix="rigger-bench-")
        self.rigger = Rigger(args.build_dir, self.state)
        self.lab = Lab(self.rigger, args.lab, args.disk_size)
        self.logs = os.path.join(self.state, "logs")
        os.makedirs(self.logs)
        self.runs = []
        self.floor = []
        self.sgdisk_ms = None
        self.facts = {}
        self.failures = []
        self.control_dirs = []
        self.seq = 0

    # ---------- Ansible plumbing ----------
    def write_ansible_inventory(self, nodes):
        d = os.path.join(self.state, "ansible")
        os.makedirs(d, exist_ok=True)
        known = os.path.join(d, "known_hosts")
        with open(known, "w") as f:
            for h in self.lab.hosts.values():
                for key in h["hostKeys"]:
                    f.write(f"{h['address']} {key}\n")
        identity = next(iter(self.lab.hosts.values()))["identityFile"]
        inv = os.path.join(d, f"inventory-{nodes}.ini")
        with open(inv, "w") as f:
            f.write("[lab]\n")
            for name in list(self.lab.hosts)[:nodes]:
                f.write(f"{name} ansible_host={self.lab.hosts[name]['address']}\n")
            f.write("\n[lab:vars]\nansible_user=root\n")
            f.write(f"ansible_ssh_private_key_file={identity}\n")
            f.write(f"ansible_ssh_common_args='-o UserKnownHostsFile={known} -o GlobalKnownHostsFile=/dev/null"
                    " -o StrictHostKeyChecking=yes'\n")
        return inv

    def ansible_env(self, control_dir):
        env = dict(os.environ)
        env.update({"ANSIBLE_CONFIG": os.path.join(ANSIBLE_DIR, "ansible.cfg"),
                    "ANSIBLE_SSH_CONTROL_PATH_DIR": control_dir, "ANSIBLE_NOCOLOR": "1",
                    "ANSIBLE_LOCAL_TEMP": os.path.join(self.state, "ansible", "tmp"),
                    "ANSIBLE_HOME": os.path.join(self.state, "ansible", "home")})
        return env

    def close_masters(self, control_dir):
        """Ends the ControlPersist masters a run left, through their own sockets (ssh -O exit)."""
        for sock in glob.glob(os.path.join(control_dir, "*")):
            subprocess.run(["ssh", "-o", f"ControlPath={sock}", "-O", "exit", "lab"], capture_output=True)

    # ---------- one timed run ----------
    def timed(self, tool, phase, nodes, rep, argv, env=None):
        self.seq += 1
        stem = os.path.join(self.logs, f"{self.seq:03d}-{tool}-{nodes}-{phase}-{rep}")
        names = list(self.lab.hosts)[:nodes]
        before = self.lab.net_bytes()
        agent = AgentRss(self.lab) if tool.startswith("rigger") else None
        tfile = stem + ".time"
        with open(stem + ".out", "w") as out, CpuWindow() as cpu:
            if agent:
                agent.__enter__()
            t0, epoch0 = time.monotonic(), time.time()
            rc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tfile, *argv], stdout=out,
                                stderr=subprocess.STDOUT, env=env, cwd=ROOT).returncode
            wall, epoch1 = time.monotonic() - t0, time.time()
            if agent:
                agent.__exit__(None, None, None)
        after = self.lab.net_bytes()
        text = open(stem + ".out").read()
        _, user, sys_, rss = open(tfile).read().split()[-4:]
        recap = {m[0]: dict(ok=int(m[1]), changed=int(m[2]), unreachable=int(m[3]), failed=int(m[4]))
                 for m in RECAP.findall(text)}
        problems = []
        if rc != 0:
            problems.append(f"exit {rc}")
        if sorted(recap) != sorted(names):
            problems.append(f"recap has hosts {sorted(recap)}, expected {names}")
        for h, r in recap.items():
            if r["failed"] or r["unreachable"]:
                problems.append(f"{h}: failed={r['failed']} unreachable={r['unreachable']}")
            if phase == "warm" and r["changed"]:
                problems.append(f"{h}: warm run changed={r['changed']}")
            if phase == "cold" and not r["changed"]:
                problems.append(f"{h}: cold run changed nothing (nodes not reset?)")
        if problems:
            # recorded and reported, not fatal: one failed run must not cost the whole series
            error = f"{tool} {phase} run on {nodes} nodes, rep {rep}: " + "; ".join(problems[:4])
            self.failures.append(dict(error=error, output=os.path.basename(stem) + ".out", tail=text[-1500:]))
            log("FAILED " + error)
        rx = [after[n][0] - before[n][0] for n in names]
        tx = [after[n][1] - before[n][1] for n in names]
        record = dict(tool=tool, phase=phase, nodes=nodes, rep=rep, wall=round(wall, 3), cpu=round(float(user) + float(sys_), 2),
                      cpu_user=float(user), cpu_sys=float(sys_), ctl_max_rss_kb=int(rss), busy_cores=round(cpu.busy, 2),
                      to_host_bytes=round(statistics.mean(rx)), from_host_bytes=round(statistics.mean(tx)),
                      ok=statistics.mean(r["ok"] for r in recap.values()) if recap else None,
                      changed=statistics.mean(r["changed"] for r in recap.values()) if recap else None,
                      failed=bool(problems))
        if agent:
            record["agent_hwm_kb"] = max(agent.peak.values()) if agent.peak else None
            record["agents_seen"] = len(agent.peak)
            record["bytes_shipped"] = self.rigger_shipped()
            record["phases_ms"] = self.rigger_phases(epoch0, epoch1)
        self.runs.append(record)
        log(f"{tool:7s} {phase} n={nodes} rep={rep}: {wall:6.2f} s, ctl cpu {record['cpu']:.2f} s, ctl rss "
            f"{int(rss) // 1024} MiB, to host {record['to_host_bytes']:,} B" +
            (f", agent rss {record['agent_hwm_kb'] // 1024 if record['agent_hwm_kb'] else '?'} MiB" if agent else ""))
        return record

    def rigger_shipped(self):
        logs = sorted(glob.glob(os.path.join(self.state, "runs", "*.jsonl")), key=os.path.getmtime)
        if not logs:
            return None
        shipped = [json.loads(l).get("bytesShipped", 0) for l in open(logs[-1]) if '"HostConnected"' in l]
        return round(statistics.mean(shipped)) if shipped else None

    def rigger_phases(self, epoch0, epoch1):
        """Where a rigger run's wall time went, from its run log: JVM start and parsing until RunStarted,
        connecting (SSH, bootstrap, agent start, hello with facts) until the last HostConnected, the tasks
        until RunFinished, and the rest until the process exited."""
        logs = sorted(glob.glob(os.path.join(self.state, "runs", "*.jsonl")), key=os.path.getmtime)
        if not logs:
            return None
        at = {}
        connect = []
        for line in open(logs[-1]):
            e = json.loads(line)
            kind = e.get("event")
            if kind in ("RunStarted", "RunFinished"):
                at[kind] = e["at"]
            elif kind == "HostConnected":
                at["connected"] = max(at.get("connected", 0), e["at"])
                connect.append(e.get("tookMs", 0))
        if len(at) < 3:
            return None
        return dict(startup=round(at["RunStarted"] - epoch0 * 1000), connect=at["connected"] - at["RunStarted"],
                    tasks=at["RunFinished"] - at["connected"], exit=round(epoch1 * 1000 - at["RunFinished"]),
                    host_connect_max=max(connect) if connect else None)

    def prime_rigger(self):
        """One untimed run before the first timed one: the first play after a build writes bin/rigger's
        class-data archive (about a second), a cost no later run pays. The nodes are reset before every
        timed run, so this leaves nothing behind that a cold run could use."""
        argv = self.rigger.cmd("play", RIGGER_PLAYBOOK, "--state", self.state, "--lab", self.lab.name, "--no-serve")
        with open(os.path.join(self.logs, "prime.out"), "w") as out:
            subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        log("primed bin/rigger (class-data archive) with one untimed run")

    def rigger_pair(self, nodes, rep):
        for f in ("state.json",):
            p = os.path.join(self.state, f)
            if os.path.exists(p):
                os.remove(p)
        argv = self.rigger.cmd("play", RIGGER_PLAYBOOK, "--state", self.state, "--lab", self.lab.name,
                               "--forks", str(nodes))
        self.timed("rigger", "cold", nodes, rep, argv)
        self.timed("rigger", "warm", nodes, rep, argv)
        # the same warm run handed to a `rigger serve` whose agents are attached (the persistent-agent model)
        serve, out = self.start_serve()
        try:
            self.await_serve(serve, nodes)
            # a server runs for days: one untimed run first, so the timed one sees its steady state (JIT
            # compiled, agents attached) rather than the minute after it started
            with open(os.path.join(self.logs, f"serve-warmup-{nodes}-{rep}.out"), "w") as warmup:
                subprocess.run(argv, stdout=warmup, stderr=subprocess.STDOUT, cwd=ROOT)
            before = process_cpu(serve.pid)
            record = self.timed("rigger-serve", "warm", nodes, rep, argv)
            # the controller's work is in the server; the timed process is only the client that follows it
            record["server_cpu"] = round(process_cpu(serve.pid) - before, 2)
            record["server_hwm_kb"] = process_hwm_kb(serve.pid)
            log(f"        server cpu for that run: {record['server_cpu']:.2f} s")
        finally:
            self.stop_serve(serve, out)

    def ansible_pair(self, nodes, rep, inventory):
        control = tempfile.mkdtemp(prefix="cp-", dir=self.state)
        self.control_dirs.append(control)
        argv = ["ansible-playbook", "-i", inventory, "-f", str(nodes), ANSIBLE_PLAYBOOK]
        env = self.ansible_env(control)
        try:
            self.timed("ansible", "cold", nodes, rep, argv, env)
            self.timed("ansible", "warm", nodes, rep, argv, env)
        finally:
            self.close_masters(control)

    # ---------- floor and facts ----------
    def measure_floor(self, nodes, reps):
        names = list(self.lab.hosts)[:nodes]
        ips = [self.lab.hosts[n]["address"] for n in names]
        script = (FLOOR.replace("OWNER", str(OWNER)).replace("SEEDS", ",".join(ips))
                  .replace("HOSTS", "".join(f"{ip} {n}.ecs.lab {n}\\n" for ip, n in zip(ips, names))))
        for i in range(reps):
            self.lab.reset([names[0]])
            t0 = time.monotonic()
            r = self.lab.exec(names[0], script)
            wall = time.monotonic() - t0
            if r.returncode != 0:
                raise RuntimeError(f"{names[0]}: the native floor script failed: {(r.stdout + r.stderr).strip()}")
            t = [int(x) for x in r.stdout.split()[-5:]]
            ms = lambda a, b: round((t[b] - t[a]) / 1e6, 1)
            self.floor.append(dict(nodes=nodes, exec_wall=round(wall, 3), inside_ms=ms(0, 4), partition_ms=ms(0, 1),
                                   mkfs_ms=ms(1, 2), dirs_mount_ms=ms(2, 3), files_ms=ms(3, 4)))
        self.lab.reset([names[0]])
        r = self.lab.exec(names[0], SGDISK)
        if r.returncode == 0:
            self.sgdisk_ms = round(int(r.stdout.split()[-1]) / 1000, 1)
        self.lab.reset([names[0]])
        f = self.floor[-reps:]
        log(f"native floor on {names[0]}: inside p50 {statistics.median(x['inside_ms'] for x in f):.0f} ms, "
            f"docker exec wall p50 {statistics.median(x['exec_wall'] for x in f) * 1000:.0f} ms")

    def measure_facts(self, nodes, queries, inventory):
        serve, out = self.start_serve()
        control = tempfile.mkdtemp(prefix="cp-", dir=self.state)
        try:
            port, token = self.await_serve(serve, nodes)
            api, cli, ans = [], [], []
            url = f"http://127.0.0.1:{port}/api/hosts/node1/facts"
            for _ in range(queries):
                r = run(["curl", "-s", "-o", os.path.join(self.state, "facts.json"), "-w", "%{http_code} %{time_total}",
                         "-H", f"Authorization: Bearer {token}", url])
                code, secs = r.stdout.split()
                body = open(os.path.join(self.state, "facts.json")).read()
                if code != "200" or '"source":"live"' not in body:
                    raise RuntimeError(f"facts API answered {code}, not live facts: {body[:300]}")
                api.append(float(secs) * 1000)
            for _ in range(queries):
                t0 = time.monotonic()
                r = subprocess.run(self.rigger.cmd("facts", "node1", "--json", "--state", self.state, "--lab", self.lab.name),
                                   capture_output=True, text=True, cwd=ROOT)
                cli.append((time.monotonic() - t0) * 1000)
                if r.returncode != 0 or "cached" in r.stderr:
                    raise RuntimeError(f"rigger facts did not answer live through serve: {r.stderr.strip()[:300]}")
            env = self.ansible_env(control)
            for _ in range(queries):
                t0 = time.monotonic()
                r = subprocess.run(["ansible", "-i", inventory, "node1", "-m", "setup"], capture_output=True, text=True,
                                   env=env, cwd=ROOT)
                ans.append((time.monotonic() - t0) * 1000)
                if r.returncode != 0 or "SUCCESS" not in r.stdout:
                    raise RuntimeError(f"ansible node1 -m setup failed: {(r.stdout + r.stderr)[-500:]}")
            stats = lambda v: dict(p50=round(percentile(v, 50), 1), p99=round(percentile(v, 99), 1),
                                   min=round(min(v), 1), max=round(max(v), 1), n=len(v))
            self.facts = dict(nodes_attached=nodes, rigger_api=stats(api), rigger_cli=stats(cli), ansible_setup=stats(ans))
            log(f"facts: API p50 {self.facts['rigger_api']['p50']} ms, rigger facts p50 {self.facts['rigger_cli']['p50']} ms,"
                f" ansible -m setup p50 {self.facts['ansible_setup']['p50']} ms")
        finally:
            self.stop_serve(serve, out)
            self.close_masters(control)

    def start_serve(self):
        out = open(os.path.join(self.logs, "serve.out"), "a")
        for f in ("serve.json", "serve.token"):
            if os.path.exists(os.path.join(self.state, f)):
                os.remove(os.path.join(self.state, f))
        # the bench playbook's directory, so `rigger play bench/prepare-bench.json` may run through this server
        serve = subprocess.Popen(self.rigger.cmd("serve", "--state", self.state, "--lab", self.lab.name, "--port", "0",
                                                 "--playbooks", os.path.dirname(os.path.join(ROOT, RIGGER_PLAYBOOK)),
                                                 "--prepare", os.path.basename(RIGGER_PLAYBOOK)),
                                 stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        return serve, out

    @staticmethod
    def stop_serve(serve, out):
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        out.close()

    def await_serve(self, serve, nodes):
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if serve.poll() is not None:
                raise RuntimeError("rigger serve exited:\n" + open(os.path.join(self.logs, "serve.out")).read()[-2000:])
            try:
                port = json.load(open(os.path.join(self.state, "serve.json")))["port"]
                token = open(os.path.join(self.state, "serve.token")).read().strip()
                req = urllib.request.Request(f"http://127.0.0.1:{port}/api/hosts", headers={"Authorization": f"Bearer {token}"})
                hosts = json.load(urllib.request.urlopen(req, timeout=5))["hosts"]
                if sum(1 for h in hosts if h.get("connected")) >= nodes:
                    return port, token
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"rigger serve: not all {nodes} agents attached within 300 s")

    # ---------- the whole thing ----------
    def main(self):
        a = self.args
        counts = sorted(set(a.nodes))
        log(f"state {self.state}; lab '{a.lab}' without dockerd; nodes {counts}; {a.repeat} repetition(s)")
        try:
            # node counts go up, so the lab only grows and always has exactly n nodes
            self.lab.down()
            for i, n in enumerate(counts):
                t0 = time.monotonic()
                self.lab.up(n)
                if len(self.lab.hosts) != n:
                    raise RuntimeError(f"lab '{self.lab.name}' has {len(self.lab.hosts)} nodes, expected {n}")
                log(f"lab up: {len(self.lab.hosts)} nodes in {time.monotonic() - t0:.1f} s")
                inventory = self.write_ansible_inventory(n)
                names = list(self.lab.hosts)[:n]
                if i == 0 and "rigger" in a.tools:
                    self.prime_rigger()
                for rep in range(1, a.repeat + 1):
                    order = ["rigger", "ansible"] if rep % 2 else ["ansible", "rigger"]
                    for tool in [t for t in order if t in a.tools]:
                        self.lab.reset(names)
                        if tool == "rigger":
                            self.rigger_pair(n, rep)
                        else:
                            self.ansible_pair(n, rep, inventory)
                if i == 0 and a.floor_reps:
                    self.measure_floor(n, a.floor_reps)
                if n == counts[-1] and a.facts_queries:
                    try:
                        self.measure_facts(n, a.facts_queries, inventory)
                    except RuntimeError as e:
                        self.failures.append(dict(error=f"facts: {e}"))
                        log(f"FAILED facts: {e}")
        finally:
            if not a.keep_lab and not self.lab.down():
                self.args.keep_logs = True   # the state directory names the lab's loop devices and disk files
            for d in self.control_dirs:
                self.close_masters(d)
        return self.report()

    # ---------- results ----------
    def summary(self):
        rows = []
        for n in sorted({r["nodes"] for r in self.runs}):
            for tool in ("rigger", "rigger-serve", "ansible"):
                for phase in ("cold", "warm"):
                    rs = [r for r in self.runs if (r["nodes"], r["tool"], r["phase"]) == (n, tool, phase)
                          and not r["failed"]]
                    if not rs:
                        continue
                    walls = [r["wall"] for r in rs]
                    row = dict(nodes=n, tool=tool, phase=phase, reps=len(rs), wall_p50=round(statistics.median(walls), 2),
                               wall_min=min(walls), wall_max=max(walls),
                               cpu_p50=round(statistics.median(r["cpu"] for r in rs), 2),
                               ctl_rss_mib=round(max(r["ctl_max_rss_kb"] for r in rs) / 1024),
                               to_host_bytes=round(statistics.median(r["to_host_bytes"] for r in rs)),
                               from_host_bytes=round(statistics.median(r["from_host_bytes"] for r in rs)),
                               busy_cores=round(statistics.median(r["busy_cores"] for r in rs), 2),
                               changed=statistics.median(r["changed"] for r in rs))
                    server = [r["server_cpu"] for r in rs if r.get("server_cpu") is not None]
                    if server:
                        row["server_cpu_p50"] = round(statistics.median(server), 2)
                    hwm = [r["agent_hwm_kb"] for r in rs if r.get("agent_hwm_kb")]
                    if hwm:
                        row["agent_rss_mib"] = round(max(hwm) / 1024, 1)
                    phases = [r["phases_ms"] for r in rs if r.get("phases_ms")]
                    if phases:
                        row["phases_ms_p50"] = {k: round(statistics.median(p[k] for p in phases if p[k] is not None))
                                                for k in phases[0] if any(p[k] is not None for p in phases)}
                    shipped = [r["bytes_shipped"] for r in rs if r.get("bytes_shipped") is not None]
                    if shipped:
                        row["bytes_shipped"] = round(statistics.median(shipped))
                    rows.append(row)
        return rows

    def targets(self, rows):
        def p50(n, tool, phase):
            return next((r["wall_p50"] for r in rows if (r["nodes"], r["tool"], r["phase"]) == (n, tool, phase)), None)

        def ratio(n, phase, tool="rigger"):
            a, r = p50(n, "ansible", phase), p50(n, tool, phase)
            return round(a / r, 2) if a and r else None

        out = []

        def add(name, value, goal, ok):
            out.append(dict(target=name, value=value, goal=goal, met=None if value is None else ok(value)))

        add("warm 10 nodes: Ansible / rigger", ratio(10, "warm"), ">= 5", lambda v: v >= 5)
        add("warm 50 nodes: Ansible / rigger", ratio(50, "warm"), ">= 8", lambda v: v >= 8)
        add("warm 10 nodes: Ansible / rigger through serve", ratio(10, "warm", "rigger-serve"), ">= 5", lambda v: v >= 5)
        add("warm 50 nodes: Ansible / rigger through serve", ratio(50, "warm", "rigger-serve"), ">= 8", lambda v: v >= 8)
        add("cold 10 nodes: Ansible / rigger", ratio(10, "cold"), ">= 3", lambda v: v >= 3)
        for tool, phase in (("rigger", "cold"), ("rigger", "warm"), ("rigger-serve", "warm")):
            w10, w50 = p50(10, tool, phase), p50(50, tool, phase)
            add(f"{tool} {phase} wall(50) / wall(10)", round(w50 / w10, 2) if w10 and w50 else None, "<= 2", lambda v: v <= 2)
        floor = [f["exec_wall"] for f in self.floor]
        for tool in ("rigger", "rigger-serve"):
            w1 = p50(1, tool, "warm")
            if floor and w1:
                goal = 1.3 * statistics.median(floor) + 1
                add(f"{tool} warm 1 node, s (floor: docker exec wall p50)", w1, f"<= {goal:.2f}", lambda v: v <= goal)
            else:
                add(f"{tool} warm 1 node vs floor", None, "<= 1.3 x floor + 1 s", lambda v: True)
        for key, label in (("rigger_api", "facts via serve, HTTP API"), ("rigger_cli", "facts via serve, `rigger facts`")):
            f = self.facts.get(key)
            add(f"{label} p50 ms", f and f["p50"], "<= 50", lambda v: v <= 50)
            add(f"{label} p99 ms", f and f["p99"], "<= 200", lambda v: v <= 200)
        jar = os.path.getsize(self.rigger.agent_jar())
        add("agent jar, MB", round(jar / 1e6, 2), "<= 4", lambda v: v <= 4)
        hwm = [r["agent_hwm_kb"] for r in self.runs if r.get("agent_hwm_kb") and not r["failed"]]
        add("agent peak RSS, MiB", round(max(hwm) / 1024, 1) if hwm else None, "<= 64", lambda v: v <= 64)
        rss50 = [r["ctl_max_rss_kb"] for r in self.runs if r["tool"] == "rigger" and r["nodes"] == 50 and not r["failed"]]
        add("controller peak RSS at 50 hosts, MiB", round(max(rss50) / 1024) if rss50 else None, "<= 300", lambda v: v <= 300)
        srv50 = [r["server_hwm_kb"] for r in self.runs if r["tool"] == "rigger-serve" and r["nodes"] == 50
                 and not r["failed"] and r.get("server_hwm_kb")]
        add("rigger serve peak RSS at 50 hosts, MiB", round(max(srv50) / 1024) if srv50 else None, "<= 300", lambda v: v <= 300)
        return out

    def report(self):
        rows = self.summary()
        targets = self.targets(rows)
        stamp = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H%MZ")
        results_dir = self.args.results_dir
        os.makedirs(results_dir, exist_ok=True)
        ansible_version = subprocess.run(["ansible", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
        java_version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[:1]
        doc = dict(date=stamp, machine=dict(cpus=os.cpu_count(), kernel=platform.release(),
                                            mem_gib=round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)),
                   versions=dict(ansible=ansible_version, java=java_version,
                                 agent_jar_bytes=os.path.getsize(self.rigger.agent_jar())),
                   params=dict(nodes=sorted(set(self.args.nodes)), repeat=self.args.repeat, disk_size=self.args.disk_size,
                               build_dir=os.path.relpath(self.args.build_dir, ROOT)),
                   summary=rows, targets=targets, failures=self.failures, floor=self.floor, sgdisk_ms=self.sgdisk_ms, facts=self.facts,
                   runs=self.runs)
        path = os.path.join(results_dir, stamp + ".json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        chart = self.chart(rows, os.path.join(results_dir, stamp + ".png"))
        self.print_table(rows, targets)
        print(f"\nresults: {os.path.relpath(path, ROOT)}" + (f", chart: {os.path.relpath(chart, ROOT)}" if chart else ""))
        if self.failures:
            print(f"\n{len(self.failures)} FAILED:")
            for f in self.failures:
                print(f"  {f['error']}")
        if not self.args.keep_logs:
            shutil.rmtree(self.state, ignore_errors=True)
        else:
            print(f"logs: {self.logs}")
        return 1 if self.failures else 0

    def print_table(self, rows, targets):
        print()
        print(f"{'N':>3} {'tool':8} {'run':5} {'wall p50':>9} {'min-max':>13} {'ctl CPU':>8} {'ctl RSS':>8} "
              f"{'to host':>11} {'from host':>10} {'agent RSS':>9} {'busy':>5} {'chg':>4}")
        for r in rows:
            agent = f"{r['agent_rss_mib']:.0f} MiB" if "agent_rss_mib" in r else "-"
            print(f"{r['nodes']:>3} {r['tool']:8} {r['phase']:5} {r['wall_p50']:>8.2f}s {r['wall_min']:>6.2f}-{r['wall_max']:<6.2f} "
                  f"{r['cpu_p50']:>7.2f}s {r['ctl_rss_mib']:>5} MiB {r['to_host_bytes']:>11,} {r['from_host_bytes']:>10,} "
                  f"{agent:>9} {r['busy_cores']:>5.2f} {r['changed']:>4g}")
        phased = [r for r in rows if r.get("phases_ms_p50")]
        if phased:
            print("\nrigger wall time by phase, ms (p50): JVM start+parse / connect+bootstrap / tasks / exit")
            for r in phased:
                p = r["phases_ms_p50"]
                print(f"  {r['nodes']:>3} {r['phase']:5} {p.get('startup')} / {p.get('connect')} / {p.get('tasks')} / {p.get('exit')}")
        if self.floor:
            print(f"\nnative floor (one node, {len(self.floor)} reps): inside p50 "
                  f"{statistics.median(f['inside_ms'] for f in self.floor):.0f} ms (partition "
                  f"{statistics.median(f['partition_ms'] for f in self.floor):.0f}, mkfs "
                  f"{statistics.median(f['mkfs_ms'] for f in self.floor):.0f}, dirs+mount "
                  f"{statistics.median(f['dirs_mount_ms'] for f in self.floor):.0f}, files "
                  f"{statistics.median(f['files_ms'] for f in self.floor):.0f}); docker exec wall p50 "
                  f"{statistics.median(f['exec_wall'] for f in self.floor) * 1000:.0f} ms; sgdisk alone "
                  f"{self.sgdisk_ms} ms (parted in the floor)")
        if self.facts:
            f = self.facts
            print(f"facts ({f['nodes_attached']} agents attached to serve): HTTP API p50 {f['rigger_api']['p50']} / p99 "
                  f"{f['rigger_api']['p99']} ms; `rigger facts node1` p50 {f['rigger_cli']['p50']} / p99 {f['rigger_cli']['p99']} ms;"
                  f" `ansible node1 -m setup` p50 {f['ansible_setup']['p50']} / p99 {f['ansible_setup']['p99']} ms")
        print("\ntargets:")
        for t in targets:
            met = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
            print(f"  {t['target']:48s} {str(t['value']):>8}  goal {t['goal']:22s} {met}")

    def chart(self, rows, path):
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("no chart: matplotlib is missing (Debian: python3-matplotlib)", file=sys.stderr)
            return None
        fig, ax = plt.subplots(figsize=(7, 4.5))
        styles = {("rigger", "cold"): "o--", ("rigger", "warm"): "o-", ("rigger-serve", "warm"): "^-",
                  ("ansible", "cold"): "s--", ("ansible", "warm"): "s-"}
        for (tool, phase), style in styles.items():
            pts = [(r["nodes"], r["wall_p50"]) for r in rows if (r["tool"], r["phase"]) == (tool, phase)]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=f"{tool} {phase}")
        counts = sorted({r["nodes"] for r in rows})
        if len(counts) > 1 and counts[-1] / counts[0] >= 10:
            ax.set_xscale("log")
        ax.set_xticks(counts)
        ax.set_xticklabels([str(c) for c in counts])
        ax.set_xlabel("nodes")
        ax.set_ylabel("wall time, s (median)")
        ax.set_yscale("log")
        ax.set_title("Host preparation: rigger and Ansible on the same lab nodes")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        return path


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", default="10", help="node counts, comma-separated (default: 10)")
    p.add_argument("--repeat", type=int, default=3, help="repetitions per tool and node count (default: 3)")
    p.add_argument("--lab", default="benchcmp", help="lab name (default: benchcmp)")
    p.add_argument("--disk-size", default="4G", help="data disk per node (default: 4G)")
    p.add_argument("--floor-reps", type=int, default=5, help="native floor repetitions (default: 5; 0: skip)")
    p.add_argument("--facts-queries", type=int, default=50, help="facts queries per tool (default: 50; 0: skip)")
    p.add_argument("--results-dir", default=os.path.join(BENCH, "results"))
    p.add_argument("--build-dir", required=True, help="controller build directory (classes, lib, agent)")
    p.add_argument("--tools", default="rigger,ansible", help="which tools to run (default: rigger,ansible)")
    p.add_argument("--keep-lab", action="store_true", help="leave the lab up afterwards")
    p.add_argument("--keep-logs", action="store_true", help="keep the run outputs (printed path)")
    args = p.parse_args()
    try:
        args.nodes = [int(x) for x in args.nodes.split(",") if x.strip()]
    except ValueError:
        p.error(f"--nodes: expected numbers separated by commas, got '{args.nodes}'")
    if not args.nodes or min(args.nodes) < 1 or args.repeat < 1:
        p.error("--nodes needs counts of at least 1 and --repeat at least 1")
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if not args.tools or set(args.tools) - {"rigger", "ansible"}:
        p.error("--tools: rigger, ansible or both, comma-separated")
    if not args.lab.startswith("bench"):
        p.error("--lab: the benchmark's labs are named bench*")
    args.build_dir = os.path.abspath(args.build_dir)
    return Harness(args).main()


if __name__ == "__main__":
    sys.exit(main())
