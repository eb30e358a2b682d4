#!/bin/busybox sh
# /init of the guest (see run-in-vm.sh): the host's root read-only over 9p with a tmpfs
# overlay on top, cgroup2 at /sys/fs/cgroup with every controller, securityfs (AppArmor), then
# the command.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(cat /modules/order); do insmod /modules/$module.ko 2>/dev/null; done
report() { echo "RUNTS_VM_EXIT=$1" > /dev/ttyS0; sync; poweroff -f; }
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot /lower || { dmesg | tail -20 > /dev/ttyS0; report 125; }
mount -t tmpfs -o size=2g tmpfs /upper
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot || report 125
command=$(sed -n 's/.*runts\.command=\([^ ]*\).*/\1/p' /proc/cmdline)
cat > /newroot/runts-vm-init <<'INNER'
#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t securityfs securityfs /sys/kernel/security
[ -d /sys/fs/selinux ] && mount -t selinuxfs selinuxfs /sys/fs/selinux
# /tmp and /run stay the host's, seen through the overlay: the project may live below them
# (a CI clone in /tmp), and writes land in the guest's tmpfs.
hostname runts-vm
ip link set lo up 2>/dev/null
sh "$1" < /dev/null > /dev/ttyS0 2>&1
status=$?
echo > /dev/ttyS0
echo "RUNTS_VM_EXIT=$status" > /dev/ttyS0
sync
echo o > /proc/sysrq-trigger
# Power-off takes a moment; init must not exit meanwhile (no file of the 9p root is readable now).
while :; do :; done
INNER
chmod 755 /newroot/runts-vm-init
cp "/newroot$command" /newroot/runts-vm-command.sh || report 125
umount /proc /sys
umount /dev
exec switch_root /newroot /runts-vm-init /runts-vm-command.sh
