#!/usr/bin/env bash
# System packages callcoach uses (Debian/Ubuntu, with apt). Safe to run twice: installs only what is missing.
#
#   bash scripts/setup-system.sh          what scoring needs: python3-venv (the virtual environment the README's
#                                         commands create; Debian's own python3 refuses `pip install` outside
#                                         one, PEP 668) and libsndfile (audio files)
#   bash scripts/setup-system.sh --test   the above, plus what the practice session and the tests use: espeak-ng
#                                         and sox (speech synthesis for samples and scenarios), PortAudio and
#                                         PulseAudio (audio devices, virtual ones in the tests), Chromium (the
#                                         HTML report checked in a browser)
set -euo pipefail
packages=(python3-venv libsndfile1)
case "${1:-}" in
  "") ;;
  --test) packages+=(espeak-ng sox libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins chromium) ;;
  *) echo "usage: bash scripts/setup-system.sh [--test]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
