#!/usr/bin/env bash
# System packages callcoach uses (Debian/Ubuntu): speech synthesis for samples and scenarios,
# PortAudio + PulseAudio for the practice session (and its tests on virtual devices),
# Chromium to check the HTML report in tests. Safe to run twice.
set -euo pipefail
packages=(espeak-ng sox libsndfile1 libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
