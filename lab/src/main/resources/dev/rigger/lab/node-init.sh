#!/bin/sh
# PID 1 of a lab node. Each container makes its own SSH host keys on first start (the image has none),
# so every node has its own identity; the keys live in the container and survive restarts.
set -e
ssh-keygen -A >/dev/null
mkdir -p /run/sshd
# Services that must run beside sshd (dockerd) are started from here, before sshd
# takes over PID 1: every executable in this directory runs once, in name order.
for step in /usr/local/lib/rigger-lab/init.d/*; do
    if [ -x "$step" ]; then "$step"; fi
done
exec /usr/sbin/sshd -D -e
