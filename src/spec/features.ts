// features.json (runtime-spec features.md): what this runtime implementation supports.
import { z } from 'zod';
import { HookName, NamespaceType, SeccompAction, SeccompArch, SeccompFlag, SeccompOperator } from './config.js';
import { stringMap } from './primitives.js';

const enabled = () => z.looseObject({ enabled: z.boolean().optional() });

export const LinuxFeatures = z.looseObject({
  namespaces: z.array(NamespaceType).optional(),
  capabilities: z.array(z.string().regex(/^CAP_[A-Z_]+$/)).optional(),
  cgroup: z
    .looseObject({
      v1: z.boolean().optional(),
      v2: z.boolean().optional(),
      systemd: z.boolean().optional(),
      systemdUser: z.boolean().optional(),
      rdma: z.boolean().optional(),
    })
    .optional(),
  seccomp: z
    .looseObject({
      enabled: z.boolean().optional(),
      actions: z.array(SeccompAction).optional(),
      operators: z.array(SeccompOperator).optional(),
      archs: z.array(SeccompArch).optional(),
      knownFlags: z.array(SeccompFlag).optional(),
      supportedFlags: z.array(SeccompFlag).optional(),
    })
    .optional(),
  apparmor: enabled().optional(),
  selinux: enabled().optional(),
  intelRdt: z.looseObject({ enabled: z.boolean().optional(), schemata: z.boolean().optional() }).optional(),
  mountExtensions: z.looseObject({ idmap: enabled().optional() }).optional(),
  netDevices: enabled().optional(),
  memoryPolicy: z
    .looseObject({ modes: z.array(z.string()).optional(), flags: z.array(z.string()).optional() })
    .optional(),
});

export const Features = z.looseObject({
  ociVersionMin: z.string(),
  ociVersionMax: z.string(),
  hooks: z.array(HookName).optional(),
  mountOptions: z.array(z.string()).optional(),
  linux: LinuxFeatures.optional(),
  annotations: stringMap().optional(),
  potentiallyUnsafeConfigAnnotations: z.array(z.string()).optional(),
});
export type Features = z.infer<typeof Features>;
