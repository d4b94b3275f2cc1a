#!/usr/bin/env bash
# Stops the loopback mail stack by the process ids start.sh recorded.
set -uo pipefail
dir="${1:-${MAILSTACK_DIR:-/tmp/emailintegration-mailstack}}"
[ -d "$dir/pids" ] || exit 0
for f in "$dir"/pids/*.pid; do
  [ -f "$f" ] || continue
  pid="$(cat "$f")"
  # Each service was started in its own session: end the whole group (Dovecot has children).
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
done
for f in "$dir"/pids/*.pid; do
  [ -f "$f" ] || continue
  pid="$(cat "$f")"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$f"
done
echo "mailstack: stopped ($dir)"
