// `runts features`: features.json (runtime-spec features.md), truthful about this build.
//
// features.md reads an absent field as "unknown" and an empty list as "none supported", and
// engines use the answer to decide what to put in config.json. So runts reports a feature only
// once the code that honours it exists: IMPLEMENTED below is the single place that says what
// works, and each piece of the runtime that lands adds itself there (with its conformance test).
// Where the kernel has a say (namespaces, capabilities) the answer is what both support.
import { readdirSync } from 'node:fs';
import { kernelCapabilities } from '../ffi/capabilities.js';
import { KERNEL_NAMES } from './container/namespaces.js';
import { KNOWN_MOUNT_OPTIONS } from './spec/mount-options.js';
import type { HookName, NamespaceType } from './spec/config.js';
import type { Features } from './spec/features.js';
import { KNOWN_FLAGS, SUPPORTED_ACTIONS, SUPPORTED_FLAGS, SUPPORTED_OPERATORS } from './spec/seccomp.js';
import { SPEC_VERSION, SPEC_VERSION_MIN } from './spec/version.js';

/** What this build of runts carries out (each item has its conformance test). */
export const IMPLEMENTED = {
  hooks: ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'] as HookName[],
  mountOptions: KNOWN_MOUNT_OPTIONS,
  // User namespaces come with their own work (uid/gid mapping by the parent).
  namespaces: ['pid', 'network', 'mount', 'ipc', 'uts', 'cgroup', 'time'] as NamespaceType[],
  capabilities: true,
  // rdma.max is written, but no machine here has an RDMA device to prove it.
  cgroup: { v1: true, v2: true, systemd: false, systemdUser: false, rdma: false },
  seccomp: true,
  apparmor: true,
  selinux: true,
  intelRdt: false,
  idmapMounts: false,
  netDevices: false,
};

function kernelNamespaces(): Set<string> {
  try {
    return new Set(readdirSync('/proc/self/ns'));
  } catch {
    return new Set();
  }
}

export function runtimeFeatures(annotations: Record<string, string>): Features {
  const kernel = kernelNamespaces();
  return {
    ociVersionMin: SPEC_VERSION_MIN,
    ociVersionMax: SPEC_VERSION,
    hooks: IMPLEMENTED.hooks,
    mountOptions: IMPLEMENTED.mountOptions,
    linux: {
      namespaces: IMPLEMENTED.namespaces.filter((type) => kernel.has(KERNEL_NAMES[type].file)),
      capabilities: IMPLEMENTED.capabilities ? kernelCapabilities() : [],
      cgroup: { ...IMPLEMENTED.cgroup },
      seccomp: {
        enabled: IMPLEMENTED.seccomp,
        actions: SUPPORTED_ACTIONS,
        operators: SUPPORTED_OPERATORS,
        // Those libseccomp can filter for on the architectures runts runs on.
        archs: ['SCMP_ARCH_X86', 'SCMP_ARCH_X86_64', 'SCMP_ARCH_X32', 'SCMP_ARCH_ARM', 'SCMP_ARCH_AARCH64'],
        knownFlags: [...KNOWN_FLAGS],
        supportedFlags: [...SUPPORTED_FLAGS],
      },
      apparmor: { enabled: IMPLEMENTED.apparmor },
      selinux: { enabled: IMPLEMENTED.selinux },
      intelRdt: { enabled: IMPLEMENTED.intelRdt },
      mountExtensions: { idmap: { enabled: IMPLEMENTED.idmapMounts } },
      netDevices: { enabled: IMPLEMENTED.netDevices },
    },
    annotations,
  };
}
