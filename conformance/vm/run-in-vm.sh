#!/usr/bin/env bash
# Runs a command in a Linux guest that has what this host lacks, a pure cgroup v2 hierarchy
# (this host's is hybrid) and a security module (AppArmor, or SELinux with --lsm selinux), and exits
# with its status.
#
#   conformance/vm/run-in-vm.sh [--timeout SECONDS] [--lsm apparmor|selinux] -- COMMAND...
#
# The guest boots Debian's linux-image-amd64 kernel under qemu with TCG (no KVM on these
# machines), with `cgroup_no_v1=all` so that every controller is on cgroup2 at /sys/fs/cgroup.
# Its root is this machine's root shared read-only over virtio-9p with a tmpfs overlay on top,
# so COMMAND sees the same files (node, the project, busybox) and may write anywhere; nothing
# it writes reaches the host. COMMAND runs as root in the project directory with the host's
# PATH, plus apparmor_parser and checkpolicy (from Debian's packages, unpacked into the cache).
# Downloads (the kernel, apparmor, checkpolicy) are cached in $RUNTS_VM_CACHE (default
# /var/cache/runts-vm); a tiny initramfs of our own (busybox-static and the 9p/overlay modules)
# is made for each run in the run's own directory. The host's /boot and initramfs are never
# touched. The guest never outlives the timeout: qemu is killed by its pid.
set -euo pipefail

timeout_seconds=1200
lsm=apparmor
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_seconds="$2"; shift 2 ;;
    --lsm) lsm="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: $0 [--timeout SECONDS] [--lsm apparmor|selinux] -- COMMAND..." >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--timeout SECONDS] [--lsm apparmor|selinux] -- COMMAND..." >&2; exit 2; }

project=$(cd "$(dirname "$0")/../.." && pwd)
cache=${RUNTS_VM_CACHE:-/var/cache/runts-vm}
mkdir -p "$cache"

for tool in qemu-system-x86_64 busybox apt-get dpkg-deb cpio; do
  command -v "$tool" >/dev/null || { echo "run-in-vm: $tool is missing (apt-get install qemu-system-x86 busybox-static cpio)" >&2; exit 2; }
done

# --- the kernel: Debian's linux-image-amd64, unpacked into the cache (not installed) ---
kernel_package_name() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
kernel_package=$(kernel_package_name)
# A machine whose package lists were never fetched (or were cleaned) knows no kernel package yet.
[ -n "$kernel_package" ] || { apt-get update -qq && kernel_package=$(kernel_package_name); }
[ -n "$kernel_package" ] || { echo "run-in-vm: no linux-image-amd64 in the apt sources" >&2; exit 2; }
kernel_dir="$cache/$kernel_package"
if [ ! -f "$kernel_dir/ready" ]; then
  rm -rf "$kernel_dir" && mkdir -p "$kernel_dir/deb"
  (cd "$kernel_dir/deb" && apt-get download -q "$kernel_package" 2>/dev/null >/dev/null) ||
    (apt-get update -qq && cd "$kernel_dir/deb" && apt-get download -q "$kernel_package" >/dev/null)
  dpkg-deb -x "$kernel_dir"/deb/*.deb "$kernel_dir/unpacked"
  rm -rf "$kernel_dir/deb"
  touch "$kernel_dir/ready"
fi
vmlinuz=$(ls "$kernel_dir"/unpacked/boot/vmlinuz-*)

# --- tools for the guest's security modules, unpacked from Debian's packages (not installed:
# this host has neither AppArmor nor SELinux): apparmor_parser and checkpolicy, libc only ---
unpack_package() {
  local dir="$cache/$1"
  if [ ! -f "$dir/ready" ]; then
    rm -rf "$dir" && mkdir -p "$dir/deb"
    (cd "$dir/deb" && apt-get download -q "$1" >/dev/null 2>&1) ||
      (apt-get update -qq && cd "$dir/deb" && apt-get download -q "$1" >/dev/null)
    dpkg-deb -x "$dir"/deb/*.deb "$dir/unpacked"
    rm -rf "$dir/deb"
    touch "$dir/ready"
  fi
}
unpack_package apparmor
unpack_package checkpolicy
guest_tools="$cache/apparmor/unpacked/sbin:$cache/checkpolicy/unpacked/usr/bin"

# --- this run's own directory: the initramfs, the command, the console log, a scratch disk ---
run_dir=$(mktemp -d /tmp/runts-vm-XXXXXX)
trap 'rm -rf "$run_dir"' EXIT

# --- the initramfs: busybox, the modules for a 9p root, an overlay and a disk, and /init ---
# Made afresh for every run (it takes well under a second), so that no machine can pass on an
# initramfs another run left behind: only downloads are cached.
# In dependency order: each module's dependencies come before it.
guest_modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk netfs fscache 9pnet 9pnet_virtio 9p overlay"
modules=$(ls -d "$kernel_dir"/unpacked/lib/modules/*)
staging="$run_dir/initramfs"
mkdir -p "$staging"/{bin,dev,proc,sys,newroot,lower,upper,modules}
cp "$(command -v busybox)" "$staging/bin/busybox"
for module in $guest_modules; do
  found=$(find "$modules" -name "$module.ko" -print -quit)
  # A module built into this kernel has no file; any other missing one would make a guest that
  # cannot mount its root, so say which.
  if [ -z "$found" ]; then
    grep -q "/$module.ko" "$modules/modules.builtin" ||
      { echo "run-in-vm: module $module is neither in $modules nor built into the kernel" >&2; exit 2; }
    continue
  fi
  cp "$found" "$staging/modules/"
  echo "$module" >> "$staging/modules/order"
done
cp "$project/conformance/vm/guest-init.sh" "$staging/init"
chmod 755 "$staging/init"
initrd="$run_dir/initrd.cpio.gz"
(cd "$staging" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd"

# --- the command, handed over through a file the guest reads from the shared root ---
{
  printf 'export PATH=%q\n' "$guest_tools:$PATH"
  printf 'cd %q\n' "$project"
  printf '%q ' "$@"
  echo
} > "$run_dir/command.sh"
log="$run_dir/console.log"
# A small blank disk, so that the guest has a block device (the cgroup suite limits its I/O).
truncate -s 8M "$run_dir/scratch.img"

qemu-system-x86_64 -accel tcg -machine q35 -cpu max -smp 2 -m 3072 \
  -no-reboot -serial "file:$log" -monitor none -display none \
  -kernel "$vmlinuz" -initrd "$initrd" \
  -append "console=ttyS0 panic=-1 quiet loglevel=3 cgroup_no_v1=all security=$lsm norandmaps runts.command=$run_dir/command.sh" \
  -drive "file=$run_dir/scratch.img,if=virtio,format=raw" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap \
  -pidfile "$run_dir/qemu.pid" -daemonize
qemu_pid=$(cat "$run_dir/qemu.pid")

# Follow the console until the guest reports the command's status or the time is up.
deadline=$(( $(date +%s) + timeout_seconds ))
printed=0
status=
while :; do
  if [ -f "$log" ]; then
    lines=$(wc -l < "$log")
    if [ "$lines" -gt "$printed" ]; then
      sed -n "$((printed + 1)),${lines}p" "$log" | grep -av 'RUNTS_VM_EXIT=' || true
      printed=$lines
    fi
    status=$(sed -n 's/.*RUNTS_VM_EXIT=\([0-9]*\).*/\1/p' "$log" | tail -1)
  fi
  [ -n "$status" ] && break
  kill -0 "$qemu_pid" 2>/dev/null || { echo "run-in-vm: the guest stopped without reporting a status" >&2; status=125; break; }
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "run-in-vm: timed out after ${timeout_seconds} s" >&2
    status=124
    break
  fi
  sleep 1
done
# The guest powers off by itself after reporting; make sure.
for _ in $(seq 20); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 0.5; done
kill -9 "$qemu_pid" 2>/dev/null || true
# ... and has stopped before this script ends (its empty cmdline: a zombie for init to reap).
for _ in $(seq 50); do [ -d "/proc/$qemu_pid" ] && grep -q qemu "/proc/$qemu_pid/cmdline" 2>/dev/null || break; sleep 0.1; done
exit "$status"
