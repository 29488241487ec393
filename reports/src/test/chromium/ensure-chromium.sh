#!/usr/bin/env bash
# Makes sure the headless Chromium that HtmlSiteChromiumIT and DemoIT drive is at /usr/bin/chromium
# (the path HeadlessChromium starts). Run by Maven in pre-integration-test (reports and jobs modules,
# skipped with -DskipTests, -DskipITs or -Dmaven.test.skip), so `mvn -B -ntp verify` passes on a fresh
# machine that has only a JDK, Maven and Debian's package repositories.
#
# When the binary is missing it installs Debian's `chromium` package with apt-get (through sudo when
# not root). On failure it exits 1 with one line saying why, so the build stops before the ITs.
#
# Overrides, for testing this script without touching the machine:
#   CHROMIUM_BINARY=/path    the binary to look for (default /usr/bin/chromium)
#   CHROMIUM_DRY_RUN=1       print the commands that would install it instead of running them
set -euo pipefail

binary="${CHROMIUM_BINARY:-/usr/bin/chromium}"
dry_run="${CHROMIUM_DRY_RUN:-}"

fail() {
  echo "ensure-chromium: cannot provide $binary for the headless-browser ITs: $1" >&2
  exit 1
}

if [ -x "$binary" ]; then
  echo "ensure-chromium: $binary found, nothing to install"
  exit 0
fi

apt_get="$(command -v apt-get || true)"
[ -n "$apt_get" ] || fail "it is missing and there is no apt-get to install Debian's chromium with (install Chromium there yourself)"

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo -n)
else
  fail "it is missing and installing Debian's chromium needs root (run as root, or with sudo available)"
fi

# Another build or apt on the same machine may hold the dpkg lock: wait for it rather than fail.
update=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "$apt_get" -q -o DPkg::Lock::Timeout=300 update)
install=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "$apt_get" -q -o DPkg::Lock::Timeout=300
  install -y --no-install-recommends chromium)

echo "ensure-chromium: $binary is missing: installing Debian's chromium for the headless-browser ITs"
if [ -n "$dry_run" ]; then
  echo "ensure-chromium: dry run, would run: ${update[*]}"
  echo "ensure-chromium: dry run, would run: ${install[*]}"
  exit 0
fi

echo "ensure-chromium: running: ${update[*]}"
"${update[@]}" || fail "'apt-get update' failed (exit $?): are Debian's package repositories reachable?"
echo "ensure-chromium: running: ${install[*]}"
"${install[@]}" || fail "'apt-get install chromium' failed (exit $?)"

[ -x "$binary" ] || fail "still missing after 'apt-get install chromium' succeeded"
echo "ensure-chromium: installed $binary ($("$binary" --version 2>/dev/null || echo 'version unknown'))"
