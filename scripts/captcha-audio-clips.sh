#!/usr/bin/env bash
# Speaks the ten digits of the Cajacopi audio captcha with Debian's espeak-ng (Latin American
# Spanish voice) into Resources/audio/captcha/D.wav (RIFF, 16-bit PCM, mono, 22050 Hz).
# Run by hand (apt-get install -y espeak-ng) when the clips should change, and commit the
# output: the server composes captchas from these files and never runs a speech engine, and
# the tests read the committed clips, so neither needs espeak-ng.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v espeak-ng >/dev/null || { echo "captcha-audio-clips: install espeak-ng first (apt-get install -y espeak-ng)" >&2; exit 1; }
out=Resources/audio/captcha
mkdir -p "$out"
words=(cero uno dos tres cuatro cinco seis siete ocho nueve)
for digit in "${!words[@]}"; do
  # -s 130: a little slower than the default 175 words a minute, so each digit is clear.
  espeak-ng -v es-419 -s 130 -a 160 -w "$out/$digit.wav" "${words[$digit]}"
done
echo "captcha-audio-clips: wrote ${#words[@]} clips to $out"
