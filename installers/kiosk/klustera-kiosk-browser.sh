#!/bin/sh
# Opens the guard-post kiosk full screen in Chromium, for a guard-post PC that reaches the estate's Klustera server
# over the network (no desktop app installed). The address comes from KLUSTERA_KIOSK_URL, usually set in
# /etc/default/klustera-kiosk, e.g. KLUSTERA_KIOSK_URL=http://192.168.1.10:4780/kiosk
set -eu

defaults="${KLUSTERA_KIOSK_DEFAULTS:-/etc/default/klustera-kiosk}"
if [ -z "${KLUSTERA_KIOSK_URL:-}" ] && [ -r "$defaults" ]; then
  . "$defaults"
fi

url="${KLUSTERA_KIOSK_URL:-}"
case "$url" in
  http://*/kiosk | https://*/kiosk | http://*/kiosk/* | https://*/kiosk/*) ;;
  *)
    echo "klustera-kiosk: set KLUSTERA_KIOSK_URL to the server's kiosk page, e.g. http://192.168.1.10:4780/kiosk (in /etc/default/klustera-kiosk)" >&2
    exit 64
    ;;
esac

browser="${KLUSTERA_KIOSK_BROWSER:-}"
if [ -z "$browser" ]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser="$candidate"
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "klustera-kiosk: no Chromium found; install it with: apt-get install chromium" >&2
  exit 69
fi

# A profile of its own keeps the kiosk's pairing token apart from anyone's browsing, and survives reboots.
profile="${XDG_CONFIG_HOME:-$HOME/.config}/klustera-kiosk"
mkdir -p "$profile"

# The camera permission lets the QR camera work without a prompt nobody can answer on a touch screen;
# the other switches keep crash and update bubbles from covering the verdict.
exec "$browser" \
  --user-data-dir="$profile" \
  --kiosk \
  --app="$url" \
  --noerrdialogs \
  --disable-session-crashed-bubble \
  --disable-infobars \
  --no-first-run \
  --check-for-update-interval=31536000 \
  --autoplay-policy=no-user-gesture-required \
  --use-fake-ui-for-media-stream \
  --overscroll-history-navigation=0 \
  --disable-pinch
