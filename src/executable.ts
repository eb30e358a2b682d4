// The entry point of the executable (src/build/build.mjs compiles it): `runts init <id>`
// (internal: nsexec starts it inside the container's namespaces for every create and exec), or
// the command line. Like runc's, `init` is not offered on the command line; the id is there for
// ps. Each side is required only when taken, so neither evaluates the other's modules.
const words = process.argv.slice(2);
if (words[0] === 'init' && words.length === 2) require('./init/main.js');
else require('./cli/entry.js');
