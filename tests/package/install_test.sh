#!/usr/bin/env bash
# Installs the Debian package into a scratch root, never into this system, and starts the
# service from it as its unit says: the package's files where FHS puts them, the maintainer
# scripts run without systemd (dpkg --root, $DPKG_ROOT), the account created in the root,
# then the unit's ExecStartPre and ExecStart, re-rooted, create the registry and serve the
# web UI from the installed templates.
#
# Usage: install_test.sh BUILD_DIR [DEB]
#   BUILD_DIR  a configured and built tree; CPack packages it (its CPackConfig.cmake) unless
#   DEB        names a package already made (scripts/package's).
set -euo pipefail

# The maintainer scripts give files to the service's account: that takes root (CI and
# ./scripts/test run as root). 77: ctest reports the test as skipped.
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: installing a package into a scratch root takes root" >&2
  exit 77
fi

build=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/styrdok-package-test.XXXXXX)
# The service account must reach the root through the folders above it.
chmod 0755 "$work"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "ok: $*"; }
seconds() { date +%s.%N; }
started=$(seconds)

# --- the package
if [ $# -ge 2 ]; then
  deb=$2
else
  cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack"; }
  deb=$(ls "$work"/out/styrdok_*.deb)
fi
[ -f "$deb" ] || fail "no package: $deb"
case "$(basename "$deb")" in
  styrdok_*_"$(dpkg --print-architecture)".deb) check "package $(basename "$deb")" ;;
  *) fail "package name $(basename "$deb") is not styrdok_<version>_<arch>.deb" ;;
esac
packaged=$(seconds)

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for unwanted in chromium nginx npm node gtest googletest gmock wrk valgrind; do
  case "$depends" in *"$unwanted"*) fail "Depends names the build or test tool $unwanted" ;; esac
done
for wanted in libxapian libgit2 libpoco hunspell-sv; do
  case "$depends" in *"$wanted"*) ;; *) fail "Depends lacks $wanted" ;; esac
done
check "Depends holds the run-time libraries only"

# --- install into a scratch root
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status"
# The accounts base-passwd gives every Debian system, for useradd --prefix to add to.
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo 'root:*:20000:0:99999:7:::' >"$root/etc/shadow"
echo 'root:*::' >"$root/etc/gshadow"
chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"
host_passwd=$(sha256sum /etc/passwd /etc/group)
dpkg --root="$root" --log=/dev/null --force-script-chrootless --force-depends \
  --force-not-root -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i"; }
[ "$(sha256sum /etc/passwd /etc/group)" = "$host_passwd" ] ||
  fail "the maintainer scripts changed this system's accounts"
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' styrdok)
[ "$status" = "install ok installed" ] || fail "package status: $status"
check "installed with dpkg --root, maintainer scripts done without systemd"

for file in usr/bin/styrdok usr/share/styrdok/templates/search.mustache \
  usr/share/styrdok/templates/assets/styrdok.css usr/share/styrdok/schema/default.xml \
  usr/share/styrdok/schema/profiles/vip.xml usr/lib/systemd/system/styrdok.service \
  usr/lib/sysusers.d/styrdok.conf etc/styrdok/styrdok.ini usr/share/doc/styrdok/install.md \
  usr/share/doc/styrdok/copyright; do
  [ -f "$root/$file" ] || fail "missing /$file"
done
[ -x "$root/usr/bin/styrdok" ] || fail "/usr/bin/styrdok is not executable"
check "files in FHS paths"

dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}' styrdok |
  grep -q '^ */etc/styrdok/styrdok.ini ' || fail "styrdok.ini is not a conffile"
cmp -s "$root/etc/styrdok/styrdok.ini" <("$root/usr/bin/styrdok" --default-config) ||
  fail "styrdok.ini is not the default configuration"

uid=$(awk -F: '$1 == "styrdok" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "styrdok" { print $3 }' "$root/etc/group")
[ -n "$uid" ] && [ -n "$gid" ] || fail "no account styrdok in the root's passwd and group"
[ "$uid" -lt 1000 ] || fail "styrdok is not a system account (uid $uid)"
[ "$(stat -c '%a %u:%g' "$root/etc/styrdok/styrdok.ini")" = "640 0:$gid" ] ||
  fail "styrdok.ini is $(stat -c '%a %u:%g' "$root/etc/styrdok/styrdok.ini"), not 640 root:styrdok"
[ "$(stat -c '%a %u' "$root/var/lib/styrdok")" = "750 $uid" ] ||
  fail "/var/lib/styrdok is $(stat -c '%a %u' "$root/var/lib/styrdok"), not 750 styrdok"
check "account styrdok ($uid:$gid), configuration 0640 root:styrdok, registry folder"
if command -v systemctl >/dev/null; then
  [ -L "$root/etc/systemd/system/multi-user.target.wants/styrdok.service" ] ||
    fail "the unit is not enabled in the root"
  check "unit enabled in the root (systemctl --root)"
fi

# --- the unit's commands, re-rooted, as the service's account
unit=$root/usr/lib/systemd/system/styrdok.service
grep -q '^User=styrdok$' "$unit" || fail "the unit does not run as styrdok"
for setting in ProtectSystem=strict ReadWritePaths=/var/lib/styrdok NoNewPrivileges=yes \
  PrivateTmp=yes ProtectHome=yes Restart=on-failure StateDirectory=styrdok; do
  grep -qx "$setting" "$unit" || fail "the unit lacks $setting"
done
# The unit as systemd reads it, with the program where the root has it.
if command -v systemd-analyze >/dev/null; then
  sed -E "s#^(Exec[A-Za-z]*=)/#\\1$root/#" "$unit" >"$work/styrdok.service"
  # It exits 0 on a setting it ignores (unknown, or a value it cannot parse): any word fails.
  systemd-analyze verify --man=no "$work/styrdok.service" >"$work/verify.log" 2>&1 &&
    [ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
  check "systemd-analyze verify"
fi

# Every absolute path on the command line moves under the root.
rerooted() {
  sed -n "s/^$1=//p" "$unit" | sed -E "s#(^| )/#\\1$root/#g"
}
# Split into words as systemd splits them (the unit quotes nothing).
read -ra pre <<<"$(rerooted ExecStartPre)"
read -ra start <<<"$(rerooted ExecStart)"
[ ${#pre[@]} -gt 0 ] && [ ${#start[@]} -gt 0 ] || fail "the unit has no ExecStartPre or ExecStart"
case "${start[*]}" in *"--config $root/etc/styrdok/styrdok.ini"*) ;; *) fail "ExecStart: ${start[*]}" ;; esac
# The environment systemd gives a service with User=: the account's home, nothing inherited.
as_service=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --
  env -i HOME="$root$(awk -F: '$1 == "styrdok" { print $6 }' "$root/etc/passwd")"
  USER=styrdok LOGNAME=styrdok PATH=/usr/bin:/bin LANG=C.UTF-8)
# A mark in an installed template shows the pages come from /usr/share/styrdok.
printf '<!-- installed templates -->\n' >>"$root/usr/share/styrdok/templates/footer.mustache"

"${as_service[@]}" "${pre[@]}" >"$work/pre.log" 2>&1 ||
  { cat "$work/pre.log" >&2; fail "ExecStartPre: ${pre[*]}"; }
[ -f "$root/var/lib/styrdok/repository/HEAD" ] || fail "ExecStartPre made no registry"
[ "$(stat -c '%u' "$root/var/lib/styrdok/repository")" = "$uid" ] || fail "the registry is not styrdok's"
"${as_service[@]}" "${pre[@]}" >"$work/pre.log" 2>&1 || fail "ExecStartPre on an existing registry"
"${as_service[@]}" "$root/usr/bin/styrdok" import --data "$root/var/lib/styrdok" \
  --author Test --email test@exempelby.se "$source_dir/corpus/agardirektiv-kbab" \
  >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; fail "import"; }
check "ExecStartPre created the registry in /var/lib/styrdok, and leaves it on a second start"

"${as_service[@]}" "${start[@]}" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's#^styrdok: serving http://127.0.0.1:\([0-9]*\)/$#\1#p' "$work/serve.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; fail "ExecStart exited: ${start[*]}"; }
  sleep 0.1
done
[ -n "$port" ] || fail "the server did not announce its port"
page=$(curl -fsS "http://127.0.0.1:$port/") || fail "GET /"
case "$page" in *"installed templates"*) ;; *) fail "the page is not from the installed templates" ;; esac
answer=$(curl -fsS "http://127.0.0.1:$port/api/search?q=%C3%A4gardirektiv") || fail "GET /api/search"
case "$answer" in *agardirektiv-kbab*) ;; *) fail "the search did not find the document: $answer" ;; esac
check "ExecStart serves / from the installed templates and /api/search from /var/lib/styrdok"
kill "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly on SIGTERM"
server_pid=

# --- upgrade and purge: the administrator's configuration and the registry stay
printf '\n[site]\nmunicipality = Provby kommun\n' >>"$root/etc/styrdok/styrdok.ini"
dpkg --root="$root" --log=/dev/null --force-script-chrootless --force-depends \
  --force-not-root --force-confold -i "$deb" >"$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log" >&2; fail "dpkg -i over the installed package"; }
grep -q '^municipality = Provby kommun$' "$root/etc/styrdok/styrdok.ini" ||
  fail "the upgrade replaced the changed configuration"
[ "$(stat -c '%a %u:%g' "$root/etc/styrdok/styrdok.ini")" = "640 0:$gid" ] ||
  fail "the upgrade changed the configuration's mode or owner"
dpkg --root="$root" --log=/dev/null --force-script-chrootless --force-depends \
  --force-not-root -P styrdok >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -P"; }
[ ! -e "$root/usr/bin/styrdok" ] && [ ! -e "$root/etc/styrdok/styrdok.ini" ] ||
  fail "the purge left the program or the configuration"
[ ! -e "$root/etc/systemd/system/multi-user.target.wants/styrdok.service" ] ||
  fail "the purge left the unit enabled"
[ -f "$root/var/lib/styrdok/repository/HEAD" ] || fail "the purge removed the registry"
check "an upgrade keeps the changed configuration; a purge keeps the registry"

finished=$(seconds)
echo "[ measured ] package $(awk "BEGIN { printf \"%.1f\", $packaged - $started }") s," \
  "install, serve, upgrade and purge $(awk "BEGIN { printf \"%.1f\", $finished - $packaged }") s"
