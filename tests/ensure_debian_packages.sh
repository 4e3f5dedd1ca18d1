#!/usr/bin/env bash
# Install the Debian packages the tests need, only those missing; a no-op when all are present.
#   tests/ensure_debian_packages.sh bubblewrap postgresql
# Runs `apt-get update` once, and only if something has to be installed. Needs root for that:
# as another user it names what is missing and exits 1.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PACKAGE..." >&2
    exit 2
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "$0: not a Debian-based system (no dpkg-query); install these yourself: $*" >&2
    exit 1
fi

missing=()
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

as_root=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root="sudo -n"
    else
        echo "$0: missing Debian packages: ${missing[*]}" >&2
        echo "  install them as root:  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "installing ${missing[*]} …" >&2
$as_root apt-get update -qq
$as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
