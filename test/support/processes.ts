// Linux process facts from /proc for tests that run real processes: whether a pid still
// runs (a zombie does not count) and which processes a pid has started.
import { readdirSync, readFileSync } from 'node:fs';

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
