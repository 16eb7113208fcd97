# SPDX-License-Identifier: Apache-2.0
"""Monitor commands for scripts/ceph-cluster.sh, through librados (Debian's python3-rados).

One process does what would otherwise take several `ceph` CLI runs (each a second of Python start-up).

  mon.py DIR FS bootstrap OSD_UUID     allocate the OSD id, create the two pools and the filesystem; prints the id
  mon.py DIR FS wait SECONDS WANT_MGR  wait until the filesystem has an active MDS (and a mgr is available when
                                       WANT_MGR=1); fails at once when a recorded daemon has died
"""
import json
import os
import sys
import time

import rados


def connect(state_dir):
    cluster = rados.Rados(conffile=os.path.join(state_dir, "ceph.conf"),
                          conf={"log_file": os.path.join(state_dir, "log", "mon-py.log")})
    cluster.connect(timeout=30)
    return cluster


def command(cluster, prefix, **args):
    args["prefix"] = prefix
    args.setdefault("format", "json")
    ret, out, err = cluster.mon_command(json.dumps(args), b"")
    if ret < 0:
        sys.exit(f"'{prefix}' failed: {ret} {err}")
    return out


def bootstrap(cluster, fs_name, osd_uuid):
    osd_id = json.loads(command(cluster, "osd new", uuid=osd_uuid))["osdid"]
    for pool in (fs_name + "_metadata", fs_name + "_data"):
        command(cluster, "osd pool create", pool=pool, pg_num=8, pgp_num=8)
    command(cluster, "fs new", fs_name=fs_name, metadata=fs_name + "_metadata", data=fs_name + "_data")
    print(osd_id)


def dead_daemon(state_dir):
    pid_dir = os.path.join(state_dir, "pids")
    for name in os.listdir(pid_dir):
        with open(os.path.join(pid_dir, name)) as f:
            pid = int(f.read())
        try:
            with open(f"/proc/{pid}/status") as f:
                if any(line.startswith("State:") and "Z" in line.split()[1] for line in f):
                    return name
        except FileNotFoundError:
            return name
    return None


def wait(cluster, state_dir, fs_name, seconds, want_mgr):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fsmap = json.loads(command(cluster, "fs dump"))
        active = any(info["state"] == "up:active"
                     for fs in fsmap["filesystems"] if fs["mdsmap"]["fs_name"] == fs_name
                     for info in fs["mdsmap"]["info"].values())
        mgr = not want_mgr or json.loads(command(cluster, "mgr dump"))["available"]
        if active and mgr:
            return
        dead = dead_daemon(state_dir)
        if dead:
            sys.exit(f"{dead} died; see {state_dir}/log/{dead}.log and {state_dir}/log/{dead}.out")
        time.sleep(0.05)
    sys.exit(f"no active MDS{' and mgr' if want_mgr else ''} after {seconds:g} s")


def main():
    state_dir, fs_name, action = sys.argv[1:4]
    cluster = connect(state_dir)
    try:
        if action == "bootstrap":
            bootstrap(cluster, fs_name, sys.argv[4])
        elif action == "wait":
            wait(cluster, state_dir, fs_name, float(sys.argv[4]), sys.argv[5] == "1")
        else:
            sys.exit(f"unknown action {action}")
    finally:
        cluster.shutdown()


if __name__ == "__main__":
    main()
