// libseccomp, loaded only when asked for (it is optional on the host): its version for
// --version, and the loading of a container's seccomp filter (planned by src/spec/seccomp.ts).
import type { LibraryHandle } from 'koffi';
import { RuntsError } from '../src/errors.js';
import type { SeccompPlan } from '../src/spec/seccomp.js';
import { loadKoffi } from './koffi.js';

/** The version of the host's libseccomp ("2.5.4"), or undefined when it is not installed. */
export function libseccompVersion(): string | undefined {
  const koffi = loadKoffi();
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libseccomp.so.2');
  } catch {
    return undefined;
  }
  try {
    const ScmpVersion = koffi.struct({ major: 'uint', minor: 'uint', micro: 'uint' });
    const seccompVersion = lib.func('seccomp_version', koffi.pointer(ScmpVersion), []);
    const version = koffi.decode(seccompVersion(), ScmpVersion) as { major: number; minor: number; micro: number };
    return `${version.major}.${version.minor}.${version.micro}`;
  } finally {
    lib.unload();
  }
}

/** A filter ready to load: libseccomp is opened while the host's libraries are reachable. */
export interface SeccompLoader {
  /** Builds the filter in libseccomp and loads it into this thread (and, with TSYNC, the others). */
  load(plan: SeccompPlan): void;
}

// libseccomp's filter attributes (enum scmp_filter_attr).
const SCMP_FLTATR_CTL_NNP = 3;
const SCMP_FLTATR_CTL_TSYNC = 4;
const SCMP_FLTATR_CTL_LOG = 6;
const SCMP_FLTATR_CTL_SSB = 8;
const FLAG_ATTRIBUTES: Record<SeccompPlan['flags'][number], number> = {
  SECCOMP_FILTER_FLAG_TSYNC: SCMP_FLTATR_CTL_TSYNC,
  SECCOMP_FILTER_FLAG_LOG: SCMP_FLTATR_CTL_LOG,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: SCMP_FLTATR_CTL_SSB,
};
const NR_SCMP_ERROR = -1;
const EEXIST = 17;

/**
 * Opens libseccomp. Call it before the root switch: after it the host's libraries are gone.
 * Throws a clear error when the host has no libseccomp.
 */
export function openSeccomp(): SeccompLoader {
  const koffi = loadKoffi();
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libseccomp.so.2');
  } catch (err) {
    throw RuntsError.wrap('linux.seccomp needs libseccomp (libseccomp.so.2) on the host', err);
  }
  koffi.struct('runts_scmp_arg_cmp', { arg: 'uint', op: 'int', datum_a: 'uint64', datum_b: 'uint64' });
  const fn = {
    init: lib.func('void *seccomp_init(uint32_t def_action)'),
    release: lib.func('void seccomp_release(void *ctx)'),
    archResolve: lib.func('uint32_t seccomp_arch_resolve_name(const char *name)'),
    archAdd: lib.func('int seccomp_arch_add(void *ctx, uint32_t arch)'),
    attrSet: lib.func('int seccomp_attr_set(void *ctx, int attr, uint32_t value)'),
    resolve: lib.func('int seccomp_syscall_resolve_name(const char *name)'),
    ruleAdd: lib.func('int seccomp_rule_add_array(void *ctx, uint32_t action, int syscall, unsigned int count, const runts_scmp_arg_cmp *args)'),
    load: lib.func('int seccomp_load(void *ctx)'),
  };
  /** libseccomp returns -errno. */
  const check = (what: string, rc: number) => {
    if (rc < 0) throw RuntsError.fromErrno(`seccomp: ${what}`, -rc);
  };
  return {
    load(plan) {
      const ctx = fn.init(plan.defaultAction);
      if (!ctx) throw new RuntsError('seccomp: seccomp_init failed');
      try {
        // runts sets no_new_privs itself, as the config says; libseccomp must not.
        check('turn off no_new_privs in libseccomp', fn.attrSet(ctx, SCMP_FLTATR_CTL_NNP, 0));
        for (const flag of plan.flags) check(`set ${flag}`, fn.attrSet(ctx, FLAG_ATTRIBUTES[flag], 1));
        for (const name of plan.architectures) {
          const arch = fn.archResolve(name);
          if (arch === 0) throw new RuntsError(`seccomp: unknown architecture ${name}`);
          const rc = fn.archAdd(ctx, arch);
          if (rc !== -EEXIST) check(`add architecture ${name}`, rc);
        }
        for (const rule of plan.rules) {
          const syscall = fn.resolve(rule.syscall);
          // As runc: a name this libseccomp does not know is skipped (profiles list syscalls
          // of newer kernels).
          if (syscall === NR_SCMP_ERROR) continue;
          const args = rule.args.map((arg) => ({ arg: arg.index, op: arg.op, datum_a: arg.value, datum_b: arg.valueTwo }));
          check(`add the rule for ${rule.syscall}`, fn.ruleAdd(ctx, rule.action, syscall, args.length, args.length ? args : null));
        }
        check('load the filter', fn.load(ctx));
      } finally {
        fn.release(ctx);
      }
    },
  };
}
