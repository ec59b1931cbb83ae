#!/bin/sh
# On a VM the kernel's /sys, /proc/sys and cgroups are writable by root; Docker mounts them read-only in a
# lab node even though it holds CAP_SYS_ADMIN. A Docker engine installed later (by apt) writes them (sysctls,
# its containers' cgroups). Remounting the node's own mount points changes nothing outside the node.
note() { echo "rigger-lab: $*" >&2; }
mount -o remount,rw /sys || note "cannot remount /sys read-write"
mount -o remount,rw /proc/sys || note "cannot remount /proc/sys read-write"
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    for hierarchy in /sys/fs/cgroup/*/; do
        mount -o remount,bind,rw "$hierarchy" || note "cannot remount $hierarchy read-write"
    done
fi
exit 0
