#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for trying examples/slurm/ (and for CI):
# munged, slurmctld and slurmd with this host as controller and only node, every file of
# theirs in one folder (default /tmp/rotor-slurm), so the system's /etc/slurm and
# /etc/munge are left alone.
#
#   sudo examples/slurm/cluster.sh start [DIR]   # writes DIR/slurm.conf, starts the daemons
#   export SLURM_CONF=DIR/slurm.conf             # then sbatch, sinfo, squeue use it
#   sudo examples/slurm/cluster.sh stop [DIR]    # stops the daemons it started
#
# Needs root (slurmd starts each job as the user who submitted it) and Debian's packages
# `slurm-wlm` and `munge` (`apt-get install --no-install-recommends slurm-wlm munge`).
# ROTOR_SLURM_PORT (default 6817) moves the controller's port; slurmd takes the next one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action="${1:-}"
dir="${2:-/tmp/rotor-slurm}"
port="${ROTOR_SLURM_PORT:-6817}"
# The daemons live in /usr/sbin, which a user's PATH (even through sudo) may lack.
PATH="$PATH:/usr/sbin:/sbin"
export SLURM_CONF="$dir/slurm.conf"

# The process whose id is in pid file $1, if it still runs.
running() {
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Stops the daemon whose id is in pid file $1: TERM, then KILL after 10 s.
stop_one() {
  local file="$1" pid
  running "$file" || { rm -f "$file"; return 0; }
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.1
  done
  echo "cluster.sh: process $pid ($file) did not stop on TERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

stop() {
  stop_one "$dir/run/slurmd.pid"
  stop_one "$dir/run/slurmctld.pid"
  stop_one "$dir/run/munged.pid"
  echo "stopped the single-node Slurm cluster in $dir"
}

# Prints the last lines of the daemons' logs, to say why a start failed.
show_logs() {
  for log in "$dir"/log/*.log; do
    [ -f "$log" ] || continue
    echo "--- $log" >&2
    tail -n 8 "$log" >&2
  done
}

start() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "cluster.sh: starting the cluster needs root: sudo $0 start $dir" >&2
    exit 1
  fi
  for daemon in munged slurmctld slurmd sinfo; do
    if ! command -v "$daemon" >/dev/null 2>&1; then
      echo "cluster.sh: \`$daemon\` is missing: apt-get install --no-install-recommends slurm-wlm munge" >&2
      exit 1
    fi
  done
  if running "$dir/run/slurmctld.pid"; then
    echo "the cluster in $dir is already running; export SLURM_CONF=$SLURM_CONF"
    return 0
  fi
  mkdir -p "$dir"/{munge,state,spool,run,log}
  # Users submit jobs: they read slurm.conf and reach munged's socket, nothing else.
  chmod 0755 "$dir" "$dir/munge" "$dir/run" "$dir/log"
  chmod 0700 "$dir/state" "$dir/spool"

  # A key of its own: munge's credentials are only trusted between hosts sharing it.
  local key="$dir/munge/munge.key"
  if [ ! -s "$key" ]; then
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile="$key"
    else
      dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
    fi
  fi
  chmod 0400 "$key"

  sed -e "s|@DIR@|$dir|g" -e "s|@HOST@|$(hostname -s)|g" -e "s|@CPUS@|$(nproc)|g" \
    -e "s|@PORT@|$port|g" -e "s|@SLURMD_PORT@|$((port + 1))|g" \
    "$here/slurm.conf.in" >"$SLURM_CONF"
  chmod 0644 "$SLURM_CONF"

  munged --force --key-file="$key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed"
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"

  # Ready when the node reports idle; bounded, so a broken setup fails instead of hanging.
  local state=""
  for _ in $(seq 300); do
    state="$(timeout 5 sinfo -h -N -o %t 2>/dev/null | head -n 1 || true)"
    [ "$state" = "idle" ] && break
    sleep 0.1
  done
  if [ "$state" != "idle" ]; then
    echo "cluster.sh: the node did not become idle within 30 s (state: ${state:-no answer})" >&2
    show_logs
    stop >&2
    exit 1
  fi
  echo "single-node Slurm cluster running ($(hostname -s), $(nproc) CPUs); export SLURM_CONF=$SLURM_CONF"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
    ;;
esac
