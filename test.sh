#!/usr/bin/env bash
# Runs the whole test suite against real parts: it installs the Debian packages that are missing
# (Dovecot, the SMTP relay, Chromium), starts the loopback mail stack, runs every test, stops the
# stack, checks the code's format, and ends with the line "N passed, N failed[, N skipped]". Exit code 0 only when all passed.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~MailStack".
set -uo pipefail
cd "$(dirname "$0")"
root="$(pwd)"
results="$root/.test-results"
stack_dir="${MAILSTACK_DIR:-/tmp/emailintegration-mailstack-test-$$}"
export MAILSTACK_PORT_BASE="${MAILSTACK_PORT_BASE:-25100}"

finish() { # passed failed skipped exit-code
  echo "$1 passed, $2 failed, $3 skipped"
  exit "$4"
}

if ! tools/install-test-packages.sh; then
  echo "test.sh: could not install the test packages" >&2
  finish 0 1 0 1
fi
if ! tools/mailstack/start.sh "$stack_dir"; then
  echo "test.sh: the mail stack did not start; see $stack_dir" >&2
  tools/mailstack/stop.sh "$stack_dir" >/dev/null 2>&1
  finish 0 1 0 1
fi
trap 'tools/mailstack/stop.sh "$stack_dir" >/dev/null 2>&1; rm -rf "$stack_dir"' EXIT
# shellcheck disable=SC1091
source "$stack_dir/env"

# The code's layout and import order are checked before anything runs (dotnet format writes them).
if [ "$#" -eq 0 ] && ! dotnet format EmailIntegration.sln --verify-no-changes; then
  echo "test.sh: the code is not formatted; run 'dotnet format EmailIntegration.sln' and commit the result" >&2
  finish 0 1 0 1
fi

rm -rf "$results/trx"
mkdir -p "$results"
dotnet test EmailIntegration.sln \
  --logger "trx;LogFileName=tests.trx" --results-directory "$results/trx" \
  --logger "console;verbosity=normal" "$@"
rc=$?

trx="$(find "$results/trx" -name '*.trx' 2>/dev/null | head -n 1)"
if [ -z "$trx" ]; then
  echo "test.sh: no test results (did the build fail?)" >&2
  finish 0 1 0 1
fi
counters="$(grep -o '<Counters [^>]*>' "$trx")"
count() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
total=$(count total); executed=$(count executed); passed=$(count passed); failed=$(count failed)
errors=$(count error); timeouts=$(count timeout); aborted=$(count aborted)
failed=$((failed + errors + timeouts + aborted))
skipped=$((total - executed))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the runner failed outside any test (crash, build error): never report green
fi
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ] && finish "$passed" 0 "$skipped" 0
/usr/bin/python3 tools/trx-failures.py "$trx" || true
finish "$passed" "$failed" "$skipped" 1
