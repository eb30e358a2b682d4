// Kernel and libc constants (x86_64/aarch64 Linux ABI values), named as in the C headers.

// <sys/file.h>
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

// <linux/fs.h>
export const RENAME_NOREPLACE = 1;

// <sys/stat.h>
export const S_ISVTX = 0o1000;
