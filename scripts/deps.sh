#!/usr/bin/env bash
# Installs what opsbot needs to build, run and test on Debian 12, with
# apt-get, only when something is missing. Needs root (or sudo).
set -euo pipefail

pkgs=(
	gcc make cmake pkg-config ca-certificates
	libwebsockets-dev libjansson-dev libcurl4-openssl-dev libsqlite3-dev
	libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libpcre2-dev
	libcmocka-dev libssl-dev
	# bot/rotation-ical.c, bot/oncall-export.c: iCalendar (RFC 5545)
	libical-dev
	# bot/tz.c: zones from the tz database, which glibc reads
	tzdata
	openssl
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
