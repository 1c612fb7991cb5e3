#!/usr/bin/env bash
# Prints the path of libfaketime's shared library (libfaketime.so.1), installing Debian's
# `faketime` package first when it is missing and this user may (root with apt-get). Called by
# `npm run chaos` for its clock-step faults, never by the tests. Exit 1, with the reason on stderr,
# when the library cannot be had.
set -euo pipefail

find_lib() {
  local arch
  arch="$(gcc -dumpmachine 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || uname -m)"
  for candidate in \
    "/usr/lib/${arch}/faketime/libfaketime.so.1" \
    /usr/lib/*/faketime/libfaketime.so.1 \
    /usr/lib/faketime/libfaketime.so.1 \
    /usr/local/lib/faketime/libfaketime.so.1; do
    if [ -f "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if find_lib; then exit 0; fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "libfaketime is not installed; install Debian's faketime package (apt-get install faketime)" >&2
  exit 1
fi

echo "installing faketime (apt-get)" >&2
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q faketime >&2; then
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q faketime >&2
fi
find_lib || {
  echo "faketime installed but libfaketime.so.1 not found" >&2
  exit 1
}
