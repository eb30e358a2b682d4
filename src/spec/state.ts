// The OCI state (runtime.md "State") as `runts state` prints it, and the record runts keeps on
// disk in <root>/<id>/state.json. Like runc, the printed state adds rootfs, created and owner.
import { z } from 'zod';
import { Hooks, Process, Resources, Seccomp } from './config.js';
import { stringMap } from './primitives.js';

/** runtime.md names four statuses; `paused` is runc's addition, kept for engines that read it. */
export const Status = z.enum(['creating', 'created', 'running', 'stopped', 'paused']);
export type Status = z.infer<typeof Status>;

export const State = z.looseObject({
  ociVersion: z.string(),
  id: z.string().min(1),
  status: Status,
  /** Required by runtime.md while the status is created or running. */
  pid: z.int().min(0).optional(),
  bundle: z.string(),
  rootfs: z.string(),
  /** RFC 3339 time of creation, as runc prints it. */
  created: z.string(),
  /** The user that owns the container's state, as runc prints it ("" for root). */
  owner: z.string(),
  annotations: stringMap().optional(),
});
export type State = z.infer<typeof State>;

/**
 * What is stored: the state without the derived owner, plus what lets a later runts process
 * tell the container's init from an unrelated process that reused its pid.
 */
export const ContainerRecord = State.omit({ owner: true }).extend({
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks) of the init process. */
  initStartTime: z.int().min(0).optional(),
  /** config.json's hooks, kept for start (poststart) and delete (poststop). */
  hooks: Hooks.optional(),
  /** config.json's process: what `exec` starts from (runc keeps the whole config). */
  process: Process.optional(),
  /** config.json's linux.seccomp: `exec` filters a joining process the same way. */
  seccomp: Seccomp.optional(),
  /** The container's cgroup: where it is in each hierarchy, what runts created, the limits in force. */
  cgroup: z
    .strictObject({
      /** hierarchy key ("" for cgroup2, else v1 controllers) → directory. */
      paths: z.record(z.string(), z.string()),
      /** Directories runts created, outermost first: delete removes these and only these. */
      created: z.array(z.string()),
      /** linux.resources as created, then as `update` changed them. */
      resources: Resources.optional(),
    })
    .optional(),
});
export type ContainerRecord = z.infer<typeof ContainerRecord>;
