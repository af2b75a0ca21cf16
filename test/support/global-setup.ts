// vitest globalSetup: one `npm run build` (src/ → dist/, incremental) before any test file
// runs, so that the tests starting kehu as a process run what production runs (`node
// dist/main.js`, see kehu-process.ts) without each paying a build. `npm start` still builds
// on its own, as it does for an admin: the tests of `npm start` itself pay that.
import { execFileSync } from 'node:child_process';
import { ROOT } from './kehu-process.ts';

export default function setup(): void {
  const started = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (process.env.KEHU_TEST_LOG === '1') console.info(`[kehu tests] dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
