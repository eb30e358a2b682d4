// The executable's entry point (bundled into dist/runts).
import { runInit } from '../init/init.js';
import { main } from './main.js';

// `runts init <id>` is internal (nsexec starts it inside the container's namespaces); like
// runc's, it is not offered on the command line, and it skips the CLI entirely. The id is
// there for people reading ps.
if (process.argv[2] === 'init' && process.argv.length === 4) {
  process.exitCode = runInit();
} else {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
