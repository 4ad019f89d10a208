#!/usr/bin/env bash
# Builds the Teams app package (a zip of manifest.json, color.png and outline.png at its root)
# for sideloading or for the Teams admin center.
# Usage: TEAMS_APP_ID=<the Azure Bot's Microsoft App ID> deploy/teams/package.sh [out.zip]
# Optional: LESSONBOOK_TEAMS_APP_VERSION (default 1.0.0), LESSONBOOK_TEAMS_DEVELOPER_URL (the
# https site shown as the developer's; privacy and terms pages are /privacy and /terms under it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/lessonbook-teams.zip}"
: "${TEAMS_APP_ID:?set TEAMS_APP_ID to the Microsoft App ID of the Azure Bot (a GUID)}"
if [[ ! "$TEAMS_APP_ID" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "package.sh: TEAMS_APP_ID '$TEAMS_APP_ID' is not a GUID" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ -f "$here/color.png" && -f "$here/outline.png" ]] || python3 "$here/make_icons.py"
cp "$here/color.png" "$here/outline.png" "$work/"
python3 - "$here/manifest.json" "$work/manifest.json" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
m = json.load(open(src))
app_id = os.environ["TEAMS_APP_ID"].lower()
m["id"] = app_id  # the app package id; using the bot's app id keeps one id to manage
m["bots"][0]["botId"] = app_id
m["version"] = os.environ.get("LESSONBOOK_TEAMS_APP_VERSION", m["version"])
site = os.environ.get("LESSONBOOK_TEAMS_DEVELOPER_URL", "").rstrip("/")
if site:
    m["developer"].update(websiteUrl=site, privacyUrl=site + "/privacy", termsOfUseUrl=site + "/terms")
json.dump(m, open(dst, "w"), indent=2)
PY
rm -f "$out"
(cd "$work" && python3 -m zipfile -c "$out" manifest.json color.png outline.png)
echo "wrote $out"
