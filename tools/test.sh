#!/usr/bin/env bash
# `npm test`: every check System Configurator has, in one run, with a real OS keychain.
#
#   1. typecheck            npm run typecheck
#   2. lint                 npm run lint
#   3. keychain session     a private D-Bus session bus with gnome-keyring, unlocked, its keyring files in
#                           temp XDG dirs (the user's own keyring and HOME are never touched); exports
#                           SC_KEYCHAIN_TESTS=1. Missing tools are a loud FAILURE, never a skip.
#   4. vitest               npx vitest run [args] inside that session (test/**/*.test.ts, keychain included)
#   5. playwright           npx playwright test inside that session, when playwright.config.ts exists
#
# Every step runs even when an earlier one failed, so one run shows everything. The last line is
# `N passed, M failed`: N = tests passed; M = tests failed plus each step that failed without reporting
# failed tests (typecheck, lint, the keychain session, a runner that crashed). Exit code 0 exactly when
# M is 0. Arguments are passed to vitest (e.g. `npm test -- test/keychain`).
#
# `bash tools/test.sh --electron` (`npm run test:electron`): the Playwright `_electron` suite
# (playwright.electron.config.ts) in the same keychain session, after `npm run build`, under xvfb-run when
# there is no display; as root the app gets --no-sandbox (test/e2e-electron/launch.ts). Further arguments
# go to Playwright. Without the Electron binary it fails, loudly, like everything else here.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
# shellcheck source=../.ci/node-env
. .ci/node-env || {
  echo "test.sh: Node >= 22.14 is not available and could not be installed (.ci/node-env)" >&2
  exit 1
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sc-test.XXXXXX")"
DBUS_PID=""
KEYRING_PID=""

cleanup() {
  # Only the two daemons this script started, by their ids.
  if [ -n "$KEYRING_PID" ]; then kill "$KEYRING_PID" 2>/dev/null || true; fi
  if [ -n "$DBUS_PID" ]; then kill "$DBUS_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PASSED=0
FAILED=0
SUMMARY=()

now_ms() { date +%s%3N; }
seconds_since() { awk -v s="$1" -v e="$(now_ms)" 'BEGIN { printf "%.1f s", (e - s) / 1000 }'; }
banner() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
# record NAME STATUS DURATION [NOTE]
record() { SUMMARY+=("$(printf '  %-18s %-8s %9s  %s' "$1" "$2" "$3" "${4:-}")"); }

loud() {
  {
    echo
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    for line in "$@"; do echo "!! $line"; done
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    echo
  } >&2
}

# A step whose only result is its exit code (counts as 1 failure when it fails).
run_step() {
  local name="$1"
  shift
  banner "$name: $*"
  local start
  start="$(now_ms)"
  if "$@"; then
    record "$name" ok "$(seconds_since "$start")"
  else
    FAILED=$((FAILED + 1))
    record "$name" FAILED "$(seconds_since "$start")"
  fi
}

# ---- keychain session ------------------------------------------------------------------------------
start_keychain_session() {
  local missing=()
  for tool in dbus-daemon dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    loud "NO OS KEYCHAIN FOR THE TESTS: ${missing[*]} not installed." \
      "The keychain tests (test/keychain) need a D-Bus session with gnome-keyring and FAIL without it." \
      "Debian/Ubuntu: sudo apt-get install dbus dbus-x11 gnome-keyring libsecret-1-dev  (or run: bash .ci/run)"
    return 1
  fi

  # Keyring files and the control socket live in temp dirs; HOME stays (npm's cache, Playwright's browsers).
  export XDG_DATA_HOME="$WORK/xdg-data" XDG_RUNTIME_DIR="$WORK/xdg-runtime"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

  if ! dbus-daemon --session --fork --address="unix:path=$XDG_RUNTIME_DIR/bus" \
    --print-address=1 --print-pid=1 >"$WORK/dbus.out" 2>"$WORK/dbus.err"; then
    loud "NO OS KEYCHAIN FOR THE TESTS: dbus-daemon would not start:" "$(cat "$WORK/dbus.err")"
    return 1
  fi
  export DBUS_SESSION_BUS_ADDRESS
  DBUS_SESSION_BUS_ADDRESS="$(sed -n 1p "$WORK/dbus.out")"
  DBUS_PID="$(sed -n 2p "$WORK/dbus.out")"

  # Starts the daemon on our bus and unlocks (creating it on first use) the login keyring with this password.
  if ! printf '%s' "sc-test-keyring-$$" |
    gnome-keyring-daemon --unlock --components=secrets >"$WORK/keyring.out" 2>"$WORK/keyring.err"; then
    loud "NO OS KEYCHAIN FOR THE TESTS: gnome-keyring-daemon would not start:" "$(cat "$WORK/keyring.err")"
    return 1
  fi
  # It takes the bus name a moment after --unlock returns; its pid is what cleanup stops.
  local tries=0
  until KEYRING_PID="$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ { print $2 }')" && [ -n "$KEYRING_PID" ]; do
    tries=$((tries + 1))
    [ "$tries" -ge 100 ] && break
    sleep 0.05
  done
  if [ -z "$KEYRING_PID" ]; then
    loud "NO OS KEYCHAIN FOR THE TESTS: gnome-keyring-daemon does not own org.freedesktop.secrets on the bus." \
      "$(cat "$WORK/keyring.err")"
    return 1
  fi

  # The real thing once, through keytar, so a broken session is reported here and not as 30 test failures.
  if ! node -e '
    const keytar = require("keytar");
    const service = "System Configurator test-harness probe", account = "probe-" + process.pid;
    (async () => {
      await keytar.setPassword(service, account, "probe");
      const back = await keytar.getPassword(service, account);
      await keytar.deletePassword(service, account);
      if (back !== "probe") throw new Error("the value written could not be read back (keyring locked?)");
    })().catch((e) => { console.error(String(e && e.message || e)); process.exit(1); });
    setTimeout(() => { console.error("keytar did not answer within 10 s"); process.exit(1); }, 10000).unref();
  ' 2>"$WORK/probe.err"; then
    loud "NO OS KEYCHAIN FOR THE TESTS: keytar cannot use the keyring of the test session:" "$(cat "$WORK/probe.err")"
    return 1
  fi
  export SC_KEYCHAIN_TESTS=1
  echo "keychain session: D-Bus $DBUS_SESSION_BUS_ADDRESS (pid $DBUS_PID), gnome-keyring pid $KEYRING_PID, unlocked"
}

# ---- test runners ----------------------------------------------------------------------------------
run_vitest() {
  local json="$WORK/vitest.json" start status counts
  banner "vitest: npx vitest run $*"
  start="$(now_ms)"
  npx vitest run --reporter=default --reporter=json --outputFile.json="$json" "$@"
  status=$?
  # "passed failed skipped suite-failures" from vitest's JSON report, or nothing when there is none.
  counts="$(node -e '
    try {
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests, r.numFailedTestSuites);
    } catch { }' "$json" 2>/dev/null)"
  tally vitest "$status" "$start" "$counts"
}

# run_playwright [CONFIG [ARGS...]]
run_playwright() {
  local config="${1:-playwright.config.ts}"
  [ "$#" -gt 0 ] && shift
  if [ ! -f "$config" ]; then
    echo
    echo "playwright: there is no $config yet, so there is no suite to run."
    record playwright none "-" "no $config"
    return 0
  fi
  local json="$WORK/playwright.json" start status counts runner=()
  # Headless Chromium needs no display; an X server is there for suites that do (e.g. Electron's).
  if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then runner=(xvfb-run --auto-servernum); fi
  banner "playwright: ${runner[*]} npx playwright test --config $config --reporter=list,json $*"
  start="$(now_ms)"
  PLAYWRIGHT_JSON_OUTPUT_FILE="$json" PLAYWRIGHT_JSON_OUTPUT_NAME="$json" \
    "${runner[@]}" npx playwright test --config "$config" --reporter=list,json "$@"
  status=$?
  counts="$(node -e '
    try {
      const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stats;
      console.log(s.expected + s.flaky, s.unexpected, s.skipped, 0);
    } catch { }' "$json" 2>/dev/null)"
  tally playwright "$status" "$start" "$counts"
}

# tally NAME EXIT_STATUS START "passed failed skipped suite-failures"
tally() {
  local name="$1" status="$2" start="$3" passed=0 failed=0 skipped=0 suites=0 note
  if [ -n "$4" ]; then
    read -r passed failed skipped suites <<<"$4"
    note="$passed passed, $failed failed, $skipped skipped"
  else
    note="no report (the runner crashed or could not start)"
  fi
  # A failing run always counts: failed suites (a file that did not load) or, failing that, the run itself.
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=$((suites > 0 ? suites : 1))
    note="$note; exit code $status"
  fi
  PASSED=$((PASSED + passed))
  FAILED=$((FAILED + failed))
  record "$name" "$([ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && echo ok || echo FAILED)" \
    "$(seconds_since "$start")" "$note"
}

# ---- the run ---------------------------------------------------------------------------------------
TOTAL_START="$(now_ms)"
if [ "${1:-}" = "--electron" ]; then
  shift
  run_step build npm run --silent build
  run_step "keychain session" start_keychain_session
  run_playwright playwright.electron.config.ts "$@"
else
  run_step typecheck npm run typecheck
  run_step lint npm run lint
  run_step "keychain session" start_keychain_session
  run_vitest "$@"
  run_playwright
fi

banner "Summary ($(seconds_since "$TOTAL_START"))"
printf '%s\n' "${SUMMARY[@]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
