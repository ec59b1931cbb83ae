#!/usr/bin/python3
# runc for the containers inside a lab node. The node lacks capabilities the machine itself lacks (such as
# CAP_SYS_RESOURCE), so runc refuses `docker run --privileged`, which asks for every capability the kernel
# knows. This drops from a container's capability sets what the node cannot hold, then runs the real runc.
import json
import os
import sys

REAL_RUNC = "/usr/sbin/runc"
NAMES = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
    "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
    "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
]


def missing_capabilities():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("CapBnd:"):
                held = int(line.split()[1], 16)
                return {name for bit, name in enumerate(NAMES) if not held >> bit & 1}
    return set()


def drop(process, missing):
    sets = (process or {}).get("capabilities") or {}
    changed = False
    for key, names in sets.items():
        kept = [n for n in names or [] if n not in missing]
        if len(kept) != len(names or []):
            sets[key] = kept
            changed = True
    return changed


def rewrite(path, in_process):
    missing = missing_capabilities()
    if not missing or not os.path.exists(path):
        return
    with open(path) as f:
        spec = json.load(f)
    if drop(spec if in_process else spec.get("process"), missing):
        with open(path + ".lab", "w") as f:
            json.dump(spec, f)
        os.replace(path + ".lab", path)


def value_of(args, *flags):
    for i, arg in enumerate(args):
        for flag in flags:
            if arg == flag and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(flag + "="):
                return arg[len(flag) + 1:]
    return None


args = sys.argv[1:]
command = next((a for a in args if a in ("create", "run", "exec")), None)
if command in ("create", "run"):
    bundle = value_of(args, "--bundle", "-b") or os.getcwd()
    rewrite(os.path.join(bundle, "config.json"), False)
elif command == "exec":
    process = value_of(args, "--process", "-p")
    if process:
        rewrite(process, True)
os.execv(REAL_RUNC, [REAL_RUNC] + args)
