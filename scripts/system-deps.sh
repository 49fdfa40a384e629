#!/usr/bin/env bash
# Installs the Debian packages SendHub's tests and tools need, when missing (as root).
#   chromium        - browser tests (Playwright drives /usr/bin/chromium)
#   docker-compose  - `docker-compose config` checks docker-compose.yml
#   libpango*       - WeasyPrint (PDF passports)
#   postgresql, redis-server - the real database and broker the tests run against
set -euo pipefail
want=(chromium docker-compose libpango-1.0-0 libpangoft2-1.0-0 postgresql redis-server)
missing=()
for pkg in "${want[@]}"; do
  case "$pkg" in  # a server may come from elsewhere than Debian's package
    postgresql) command -v pg_ctlcluster >/dev/null && continue ;;
    redis-server) command -v redis-server >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]} (run as root: apt-get install -y ${missing[*]})" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
