#!/usr/bin/env bash
# Builds a small OCI bundle from Debian's busybox-static: DIR/rootfs (busybox and its applets)
# and DIR/config.json (runts spec, running the given command without a terminal).
#   conformance/make-bundle.sh DIR [COMMAND ARGS...]     default: a greeting that shows the namespaces
set -euo pipefail

dir=${1:?usage: make-bundle.sh DIR [COMMAND ARGS...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
runts=${RUNTS:-$here/../dist/runts}
busybox=${BUSYBOX:-/bin/busybox}

banner=$("$busybox" --help 2>&1 || true)
if [[ "$banner" != BusyBox* ]] || ldd "$busybox" >/dev/null 2>&1; then
  echo "make-bundle.sh: $busybox is not a static busybox; install Debian's busybox-static" >&2
  exit 1
fi
if [ ! -x "$runts" ]; then
  echo "make-bundle.sh: $runts is missing; run npm run build" >&2
  exit 1
fi

rm -rf "$dir"
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/tmp" "$dir/rootfs/etc"
cp "$busybox" "$dir/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$dir/rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/rootfs/etc/passwd"
echo 'root:x:0:' >"$dir/rootfs/etc/group"

"$runts" spec --bundle "$dir"
if [ $# -eq 0 ]; then
  set -- sh -c 'echo "hello from runts: pid $$, hostname $(hostname), $(id)"'
fi
args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
jq --argjson args "$args" '.process.args = $args | .process.terminal = false' "$dir/config.json" >"$dir/config.json.new"
mv "$dir/config.json.new" "$dir/config.json"
echo "bundle ready: $dir"
