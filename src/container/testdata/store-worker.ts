// A separate process working on the state store, for the race tests in state-store.test.ts:
//   create <root> <id>            try to create the container; prints "created" or the error
//   increment <root> <id> <n>     n read-modify-write updates of an annotation counter
import { StateStore } from '../state-store.js';

async function main(): Promise<void> {
  const [action, root, id, count] = process.argv.slice(2);
  const store = new StateStore(root!);
  if (action === 'create') {
    try {
      await store.create(
        { ociVersion: '1.3.0', id: id!, status: 'creating', bundle: '/b', rootfs: '/b/rootfs', created: new Date().toISOString() },
        () => undefined,
      );
      process.stdout.write('created\n');
    } catch (err) {
      process.stdout.write(`${(err as Error).message}\n`);
    }
  } else if (action === 'increment') {
    for (let i = 0; i < Number(count); i++) {
      store.update(id!, (record) => ({
        ...record,
        annotations: { count: String(Number(record.annotations?.count ?? 0) + 1) },
      }));
    }
  }
}

void main();
