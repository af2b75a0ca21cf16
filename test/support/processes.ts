// Linux process facts for tests that run real processes: whether a pid still runs (a zombie
// does not count), which processes a pid has started and which signals it handles (/proc),
// and read-only mounts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The fields of a /proc stat file after "pid (comm) " (comm may hold ") ", so the split is at
 * the last one): fields[0] is field 3 (state), so field n is fields[n - 3]. Undefined when gone.
 */
export function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while `pid` exists and has not exited (an unreaped zombie has exited). */
export function isRunning(pid: number): boolean {
  const state = statFields(`/proc/${pid}/stat`)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/**
 * Whether `pid` has a handler for `signal` (SigCgt in /proc/PID/status). Node installs one
 * only when JavaScript listens for the signal: a process that logged "listening" a moment
 * ago may not yet, and until then the signal kills it outright.
 */
export function catchesSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    const mask = /^SigCgt:\s+([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return mask !== undefined && ((BigInt(`0x${mask}`) >> BigInt(constants.signals[signal] - 1)) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid`, with their command lines. */
export function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || statFields(`/proc/${name}/stat`)?.[1] !== String(pid)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue; // gone meanwhile
    }
    out.push({ pid: Number(name), cmdline });
  }
  return out;
}

// Root writes through chmod 0555, so a read-only path is made the way a read-only volume is:
// a read-only bind mount, in a mount namespace of the command's own (nothing else sees it).
const READ_ONLY_SCRIPT = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"';

/** The argv prefix that runs a command with `path` (a file or folder) mounted read-only. */
export function readOnlyMount(path: string): string[] {
  return ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', READ_ONLY_SCRIPT, 'sh', path];
}

/** Whether readOnlyMount works here (needs CAP_SYS_ADMIN: root, not in every container). */
export function readOnlyMountsWork(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-ro-'));
  try {
    const [command, ...args] = readOnlyMount(dir);
    return spawnSync(command!, [...args, 'sh', '-c', '! touch "$0/probe" 2>/dev/null', dir]).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
