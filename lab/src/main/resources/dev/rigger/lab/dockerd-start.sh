#!/bin/sh
# Starts dockerd beside sshd (Docker in Docker), in the background; `rigger lab up` waits until it answers.
log=/var/log/dockerd.log
note() { echo "rigger-lab: $*" >>"$log"; }
: >"$log"
# Docker mounts /sys, /proc/sys and the cgroup v1 hierarchies read-only even in a node that holds
# CAP_SYS_ADMIN; dockerd writes them (sysctls, its containers' cgroups). Remounting the node's own mount
# points changes nothing outside the node.
mount -o remount,rw /sys || note "cannot remount /sys read-write"
mount -o remount,rw /proc/sys || note "cannot remount /proc/sys read-write"
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    for hierarchy in /sys/fs/cgroup/*/; do
        mount -o remount,bind,rw "$hierarchy" || note "cannot remount $hierarchy read-write"
    done
fi
# With cgroup v1, each hierarchy the node sees is its own cgroup bind-mounted, so dockerd's default
# parent /docker already lies below the node: its containers count towards the node and go away with it.
# /var/lib/docker is a volume on the machine's own file system, not on overlayfs, so overlay2 works there.
# The lab's runc drops the capabilities the node lacks, so that `docker run --privileged` works (ECS).
nohup /usr/sbin/dockerd --storage-driver=overlay2 \
    --add-runtime rigger-lab=/usr/local/sbin/rigger-lab-runc --default-runtime rigger-lab \
    >>"$log" 2>&1 </dev/null &
