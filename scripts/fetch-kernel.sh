#!/usr/bin/env bash
# Fetches Debian's unmodified arm64 cloud kernel (linux-image-*-cloud-arm64-unsigned) for
# `armvirt run --kernel` and the boot tests, into a cache folder outside the repository:
#   $ARMVIRT_KERNEL_CACHE, else $XDG_CACHE_HOME/armvirt-kernel, else $HOME/.cache/armvirt-kernel.
# Steps: dpkg --add-architecture arm64, apt-get update, the newest package by version
# (apt-cache search --names-only), apt-get download PKG:arm64, dpkg-deb -x, copy boot/vmlinuz-*
# (a gzip-compressed arm64 Image, which the loader and QEMU both decompress) and a decompressed
# Image-* beside it.
# Idempotent: when an Image is already in the cache, a second run only checks that file (no apt).
# `Image` in the cache folder is a symbolic link to the current one: the examples' VS Code launch
# configurations name ${env:HOME}/.cache/armvirt-kernel/Image.
# Prints the Image path last (stdout); progress goes to stderr. Needs root for dpkg/apt-get.
#   scripts/fetch-kernel.sh [--check]   (--check: fetch nothing; print the cached Image or exit 1)
set -euo pipefail

if [ -n "${ARMVIRT_KERNEL_CACHE:-}" ]; then
  cache="$ARMVIRT_KERNEL_CACHE"
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
  cache="$XDG_CACHE_HOME/armvirt-kernel"
else
  cache="${HOME:?HOME is not set: set ARMVIRT_KERNEL_CACHE}/.cache/armvirt-kernel"
fi
log() { echo "fetch-kernel: $*" >&2; }

# An arm64 Image carries the magic "ARM\x64" at offset 56 (Documentation/arch/arm64/booting.rst).
is_image() { [ -s "$1" ] && [ "$(od -An -tx1 -j56 -N4 "$1" | tr -d ' \n')" = "41524d64" ]; }

if [ -f "$cache/current" ]; then
  image="$cache/$(cat "$cache/current")"
  if is_image "$image"; then
    [ "$(readlink "$cache/Image" 2>/dev/null)" = "$(cat "$cache/current")" ] || ln -sfn "$(cat "$cache/current")" "$cache/Image" 2>/dev/null || true
    echo "$image"
    exit 0
  fi
  log "$image is missing or not an arm64 Image"
fi
# --check: fetch nothing; the cached Image was printed above, or there is none (exit 1).
if [ "${1:-}" = "--check" ]; then
  log "no kernel in $cache (run scripts/fetch-kernel.sh)"
  exit 1
fi

mkdir -p "$cache"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "dpkg --add-architecture arm64"
  dpkg --add-architecture arm64
fi
log "apt-get update"
apt-get update -qq >&2
pkg="$(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-cloud-arm64-unsigned$' | awk '{print $1}' | sort -V | tail -n 1)"
if [ -z "$pkg" ]; then
  log "no linux-image-*-cloud-arm64-unsigned package found (is arm64 in dpkg's architectures and the list updated?)"
  exit 1
fi
log "downloading $pkg:arm64"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"   # apt-get download runs as _apt and must be able to write here
(cd "$work" && apt-get download -q "$pkg:arm64" >&2)
deb="$(ls "$work"/*.deb)"
dpkg-deb -x "$deb" "$work/x"
vmlinuz="$(ls "$work"/x/boot/vmlinuz-* | head -n 1)"
ver="${vmlinuz##*/vmlinuz-}"
cp "$vmlinuz" "$cache/vmlinuz-$ver"
if [ "$(od -An -tx1 -N2 "$vmlinuz" | tr -d ' \n')" = "1f8b" ]; then
  gzip -dc "$vmlinuz" > "$cache/Image-$ver.tmp"
else
  cp "$vmlinuz" "$cache/Image-$ver.tmp"
fi
if ! is_image "$cache/Image-$ver.tmp"; then
  log "$vmlinuz does not hold an arm64 Image (no ARM\\x64 magic at offset 56)"
  rm -f "$cache/Image-$ver.tmp"
  exit 1
fi
mv "$cache/Image-$ver.tmp" "$cache/Image-$ver"
echo "Image-$ver" > "$cache/current"
ln -sfn "Image-$ver" "$cache/Image"
log "$pkg: $(stat -c %s "$cache/vmlinuz-$ver") bytes compressed, $(stat -c %s "$cache/Image-$ver") bytes"
echo "$cache/Image-$ver"
