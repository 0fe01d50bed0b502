#!/usr/bin/env bash
# Build Camp's sdist and wheel, install the wheel into a fresh virtual environment in a
# temporary directory, run `camp up` from there (far from the checkout) and check that it
# serves: /login answers, the content was loaded, and the demo student sees the seven lesson
# modules. That proves templates, migrations and quizzes all shipped inside the wheel.
#
#   scripts/smoke_wheel.sh            (needs python3 with venv, curl, and PyPI through pip)
#
# A failure prints one line starting "smoke_wheel: FAILED" (and `camp up`'s output when it
# got that far) and exits 1. The server and the temporary directory are always removed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/camp-smoke-wheel.XXXXXX")
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  if [ -s "$work/up.log" ]; then
    echo "--- camp up's output ---" >&2
    cat "$work/up.log" >&2
    echo "---" >&2
  fi
  echo "smoke_wheel: FAILED: $*" >&2
  exit 1
}

command -v curl >/dev/null || fail "curl is not installed"

# Build from the checkout: the sdist first, then the wheel from the unpacked sdist (what
# `python -m build` does), so a file missing from either shows up here.
"$python" -m venv "$work/build-venv" || fail "could not create a virtual environment"
"$work/build-venv/bin/pip" install --quiet build || fail "could not install 'build' from PyPI"
"$work/build-venv/bin/python" -m build --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log" >&2; fail "python -m build could not build the sdist and wheel"; }
wheels=("$work"/dist/camp-*.whl)
[ -f "${wheels[0]}" ] || fail "python -m build made no wheel"

# A fresh environment with nothing but the wheel and its dependencies.
"$python" -m venv "$work/venv" || fail "could not create a virtual environment"
"$work/venv/bin/pip" install --quiet "${wheels[0]}" || fail "could not install ${wheels[0]##*/}"

# Serve from the temporary directory: nothing of the checkout is on the path or nearby.
port=$("$work/venv/bin/python" -c \
  'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
cd "$work"
env -u PYTHONPATH -u DATABASE_URL -u CAMP_CONTENT_DIR -u CAMP_SECRET_KEY \
  CAMP_ENV=development CAMP_INSTANCE_PATH="$work/instance" PYTHONUNBUFFERED=1 \
  "$work/venv/bin/camp" up --port "$port" --workers 1 >"$work/up.log" 2>&1 &
server_pid=$!

code=000
for _ in $(seq 1 120); do
  kill -0 "$server_pid" 2>/dev/null || fail "camp up exited before it served"
  code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$url/login" || true)
  [ "$code" != 000 ] && break  # it answered
  sleep 0.5
done
[ "$code" != 000 ] || fail "camp up did not answer on port $port within 60 s"
[ "$code" = 200 ] || fail "GET /login answered $code, not 200"

# The content came from inside the installed package, and all seven modules loaded.
grep -q "^Content loaded from $work/venv/.*/camp/_bundled/quizzes: modules: 7 created" \
  "$work/up.log" || fail "camp up did not load the seven lesson modules from the wheel"

# Log in as the first demo student `camp up` printed, then read the modules page.
read -r email password < <(awk '$1 == "student" && $3 == "password:" {print $2, $4; exit}' \
  "$work/up.log") || fail "camp up printed no demo student login"
jar="$work/cookies.txt"
token=$(curl -s -c "$jar" -b "$jar" "$url/login" \
  | sed -n 's/.*name="csrf_token" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$token" ] || fail "the login page has no CSRF token"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
  --data-urlencode "csrf_token=$token" --data-urlencode "email=$email" \
  --data-urlencode "password=$password" "$url/login")
[ "$code" = 302 ] || fail "logging in as the demo student $email answered $code, not a redirect"
curl -s -f -c "$jar" -b "$jar" "$url/modules" >"$work/modules.html" \
  || fail "GET /modules failed for the demo student"

# Every module in the checkout's quizzes/ must be listed, by the title in its lesson.md
# (read with the YAML parser Camp uses, and escaped as Jinja escapes it on the page).
mapfile -t titles < <("$work/venv/bin/python" - "$root/quizzes" <<'PY'
import pathlib, re, sys

import yaml
from markupsafe import escape

for lesson in sorted(pathlib.Path(sys.argv[1]).glob("*/lesson.md")):
    front = re.match(r"---\n(.*?)\n---\n", lesson.read_text(encoding="utf-8"), re.DOTALL)
    print(escape(yaml.safe_load(front.group(1))["title"]))
PY
)
[ "${#titles[@]}" -eq 7 ] || fail "expected the titles of seven modules in $root/quizzes, got ${#titles[@]}"
missing=()
for title in "${titles[@]}"; do
  grep -qF "$title" "$work/modules.html" || missing+=("$title")
done
[ "${#missing[@]}" -eq 0 ] || fail "/modules does not list: ${missing[*]}"

echo "smoke_wheel: OK: ${wheels[0]##*/} in a fresh venv; camp up served /login and the seven modules"
