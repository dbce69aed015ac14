#!/usr/bin/env bash
# The project's test command (README "Test"; CI's .ci/run calls it): every unit and integration
# test. Everything the build needs comes through the Maven wrapper (Maven itself, plugins,
# dependencies, the Apicurio Registry used by the tests), except what the dashboard's browser
# tests (cli's Dashboard*BrowserIT) drive: Debian's chromium, installed here when missing
# (~20 s, needs root or sudo), and playwright-core from npm (the committed lock file).
# Extra arguments go to Maven, e.g. ./test.sh -pl core.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -x /usr/bin/chromium ]]; then
  echo "installing chromium for the dashboard's browser tests"
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi
command -v node >/dev/null || { echo "node (Node.js 18+) is needed by the dashboard's browser tests" >&2; exit 1; }
(cd cli/src/test/browser && npm ci --no-audit --no-fund)
./mvnw -B verify "$@"
