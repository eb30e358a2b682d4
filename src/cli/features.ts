// `runts features`: print features.json (runtime-spec features.md).
import type { CommandModule } from 'yargs';
import { libseccompVersion } from '../../ffi/libseccomp.js';
import { runtimeFeatures } from '../features.js';
import { commit, RUNTS_VERSION } from '../version.js';
import { printJson } from './output.js';

export const featuresCommand: CommandModule = {
  command: 'features',
  describe: 'show the enabled features',
  handler: () => {
    const annotations: Record<string, string> = {
      'org.opencontainers.runts.version': RUNTS_VERSION,
      'org.opencontainers.runts.commit': commit(),
    };
    const seccomp = libseccompVersion();
    if (seccomp) annotations['io.github.seccomp.libseccomp.version'] = seccomp;
    // runc indents features with four spaces.
    printJson(runtimeFeatures(annotations), 4);
  },
};
