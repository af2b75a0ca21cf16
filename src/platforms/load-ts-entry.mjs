// Loads a TypeScript worker-thread entry (workerData.entry) through tsx: worker threads
// start without the main thread's loader hooks on Node 20. Used only when kehu runs from
// source (npm run dev, the tests); the built service starts its .js entry directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
