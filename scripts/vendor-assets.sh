#!/usr/bin/env bash
# Vendor the page assets that come from npm, at build time (never committed):
#   nhsuk-frontend@10  -> src/nhsgraph/web/static/vendor/nhsuk-frontend.min.css (+ LICENSE)
#   axe-core@4         -> build/vendor/axe.min.js (used only by the browser tests)
# npm installs into build/npm (git-ignored); only the compiled files are copied.
# Safe to run again: it does nothing when the files are already there (FORCE=1 redoes it).
set -euo pipefail
cd "$(dirname "$0")/.."

STATIC=src/nhsgraph/web/static/vendor
TESTV=build/vendor
NPM_DIR=build/npm
mkdir -p "$STATIC" "$TESTV" "$NPM_DIR"

if [ "${FORCE:-0}" != 1 ] && [ -s "$STATIC/nhsuk-frontend.min.css" ] && [ -s "$TESTV/axe.min.js" ]; then
  echo "== vendored assets already present ($STATIC, $TESTV)"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "vendor-assets: npm is missing (apt-get install npm)" >&2; exit 1; }

echo "== npm install nhsuk-frontend@10 axe-core@4 into $NPM_DIR"
[ -f "$NPM_DIR/package.json" ] || echo '{"name": "nhsgraph-vendor", "private": true}' > "$NPM_DIR/package.json"
npm install --prefix "$NPM_DIR" --no-audit --no-fund --silent nhsuk-frontend@10 axe-core@4

NHSUK="$NPM_DIR/node_modules/nhsuk-frontend"
css=$(ls "$NHSUK"/dist/nhsuk/nhsuk-frontend-*.min.css 2>/dev/null | head -1 || true)
[ -n "$css" ] || { echo "vendor-assets: no compiled CSS found in $NHSUK/dist" >&2; exit 1; }
# The Frutiger web fonts are loaded from assets.nhs.uk and licensed to the NHS: drop those
# @font-face rules (the stack falls back to Arial). Icon URLs point at /assets/, which
# nhsgraph does not serve: drop them too, so no request goes anywhere else or 404s.
sed -E -e 's/@font-face\{[^}]*\}//g' -e 's#url\(/assets/[^)]*\)#none#g' "$css" > "$STATIC/nhsuk-frontend.min.css"
if grep -Eq 'url\((https?:)?//' "$STATIC/nhsuk-frontend.min.css"; then
  echo "vendor-assets: the stylesheet still loads something from elsewhere" >&2; exit 1
fi
cp "$NHSUK/LICENSE"* "$STATIC/nhsuk-frontend.LICENSE.txt" 2>/dev/null || true
cp "$NPM_DIR/node_modules/axe-core/axe.min.js" "$TESTV/axe.min.js"
echo "== vendored $(basename "$css") ($(wc -c < "$STATIC/nhsuk-frontend.min.css") bytes) and axe.min.js"
