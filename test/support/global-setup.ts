// vitest globalSetup: one `npm run build` (src/ → dist/, tsc --build) before any test file
// runs, so that the tests starting kehu as a process run what production runs (`node
// dist/main.js`, see kehu-process.ts) without each paying a build. `npm start` still builds
// on its own, as it does for an admin: the tests of `npm start` itself pay that (a fraction
// of a second once dist/ is up to date). Then the run's migrated template databases
// (db-templates.ts), removed after the run.
import { spawnSync } from 'node:child_process';
import { createTemplates } from './db-templates.ts';
import { ROOT } from './kehu-process.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const started = performance.now();
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (build.status !== 0) {
    // A type error still emits (tsc --build), and the unit tests need no dist/ at all: say
    // so and go on; the process tests then fail on what they find, as npm start would.
    console.warn(`[kehu tests] npm run build failed (${build.error?.message ?? `exit ${build.status}`}); tests that start kehu as a process run whatever dist/ holds:\n${build.stdout}${build.stderr}`);
  } else if (process.env.KEHU_TEST_LOG === '1') {
    console.info(`[kehu tests] dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  // PostgreSQL's only when a server answers (databases.ts decides whether its tests run).
  return createTemplates();
}
