// `npm run soak`: the soak (soak.ts) on 1 replica (the shared PostgreSQL, KEHU_TEST_PG_URL),
// then on 3 behind nginx on a cluster of the soak's own, through a rolling restart (each replica
// SIGTERMed and started again in turn), an org file change, one SIGKILL and PostgreSQL stopped
// and started again. Prints the figures and exits 1 when a check fails.
// `npm run soak -- --minutes 2 --users 6`: longer or busier (defaults 1 minute of load per run, 6 users).
import { formatSoak, runSoak, soakFailures } from './soak.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('minutes', 1);
const users = arg('users', 6);
const loadMs = minutes * 60_000;

const log = (line: string) => console.log(line);
let failed = false;
// One replica has nobody to take its share while it restarts: it runs the load only.
const runs = [
  { replicas: 1, steadyMs: loadMs, restarts: [], tailMs: 0 },
  { replicas: 3, steadyMs: loadMs / 4, restarts: [0, 1, 2], orgChange: true, kill: 1, pgOutageMs: 5_000, tailMs: loadMs / 4 },
];
for (const run of runs) {
  const report = await runSoak({ ...run, users, log });
  console.log(formatSoak(report));
  const f = soakFailures(report);
  for (const line of f) console.log(`[soak]   FAILED: ${line}`);
  failed ||= f.length > 0;
}
process.exit(failed ? 1 : 0);
