#!/usr/bin/env bash
# Installs the Debian packages the tests need (mail stack and Chromium), only those missing.
set -euo pipefail
packages=(dovecot-core dovecot-imapd dovecot-submissiond dovecot-lmtpd python3-aiosmtpd chromium fonts-noto-color-emoji openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test packages: missing ${missing[*]}; run as root or install them with apt-get" >&2
  exit 1
fi
echo "test packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
