#!/usr/bin/env bash
# One command from a fresh clone to the running app: Node 24 (via .ci/node-env), `npm ci` when the
# dependencies are missing or older than the lockfile, the Electron binary (its npm install script is
# denied on purpose; it is fetched here, once), the build, then the app. Extra arguments go to the app,
# e.g. `bash tools/start.sh --data-dir ./.sc-data`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../.ci/node-env
. .ci/node-env

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi
if ! npx tsx -e "import { findElectronBinary } from './tools/electron-binary'; process.exit(findElectronBinary() ? 0 : 1)"; then
  echo "start: fetching the Electron binary (npm run electron:install)" >&2
  if ! npm run electron:install; then
    echo "start: the Electron binary could not be downloaded (no access to its download host?)." >&2
    echo "start: everything else works without it: npm test, npm run sc-admin, npm run emulator." >&2
    exit 1
  fi
fi
exec npm start -- "$@"
