import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * ffmpeg and ffprobe must not outlive the process that started them. A worker killed with
 * SIGKILL (OOM killer, `kill -9`, a container stop past its grace period) runs no handler, so
 * Node cannot kill its children: they are reparented to PID 1 and keep encoding.
 *
 * On Linux every tool is therefore started through util-linux's `setpriv --pdeathsig KILL`, which
 * asks the kernel to send SIGKILL to the tool when its parent dies, then execs it (same pid, so
 * timeouts and aborts still signal the tool itself). Where `setpriv` is missing (not Linux, a
 * stripped image) tools start directly and `reapOrphanedTools` finds them at the next start.
 */
export interface Launch {
  command: string;
  args: string[];
}

const BINARY_CACHE = new Map<string, string>();

/** The absolute path of `binary` (a name looked up on PATH, or a path), or null when there is none. */
export function resolveExecutable(binary: string, envPath = process.env.PATH ?? ''): string | null {
  const cacheKey = `${binary}\0${envPath}`;
  const cached = BINARY_CACHE.get(cacheKey);
  if (cached !== undefined) return cached; // a missing binary is looked for again next time
  const candidates = binary.includes('/')
    ? [binary]
    : envPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, binary));
  let found: string | null = null;
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      found = path.resolve(candidate);
      break;
    } catch {
      // not here
    }
  }
  if (found) BINARY_CACHE.set(cacheKey, found);
  return found;
}

/** How to start `executable` (an absolute path) with `args` so that it dies with this process. */
export function launchBoundToParent(executable: string, args: readonly string[]): Launch {
  const setpriv = process.platform === 'linux' ? resolveExecutable('setpriv') : null;
  if (!setpriv) return { command: executable, args: [...args] };
  return { command: setpriv, args: ['--pdeathsig', 'KILL', '--', executable, ...args] };
}

const TOOL_NAMES = new Set(['ffmpeg', 'ffprobe']);

export interface OrphanedTool {
  pid: number;
  command: string;
}

/**
 * ffmpeg/ffprobe processes left by a dead worker: their parent is gone (they were reparented to
 * init or a subreaper, so their parent is not a Node process any more) and their command line
 * names a path under `scratchRoot`, the folder only this deployment's workers write into. Linux
 * only (reads /proc); elsewhere it finds nothing.
 */
export function findOrphanedTools(scratchRoot: string, procRoot = '/proc'): OrphanedTool[] {
  if (process.platform !== 'linux') return [];
  const root = path.resolve(scratchRoot) + path.sep;
  const found: OrphanedTool[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const comm = readFileSync(path.join(procRoot, entry, 'comm'), 'utf8').trim();
      if (!TOOL_NAMES.has(comm)) continue;
      const argv = readFileSync(path.join(procRoot, entry, 'cmdline'), 'utf8')
        .split('\0')
        .filter(Boolean);
      if (!argv.some((arg) => arg.startsWith(root) || arg.includes(`=${root}`) || arg.includes(`:${root}`))) continue;
      if (parentIsNode(procRoot, entry)) continue; // a live worker's own child
      found.push({ pid, command: argv.join(' ') });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function parentIsNode(procRoot: string, pid: string): boolean {
  const stat = readFileSync(path.join(procRoot, pid, 'stat'), 'utf8');
  // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
  const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  if (!ppid || ppid === '0' || ppid === '1') return false;
  try {
    const parentComm = readFileSync(path.join(procRoot, ppid, 'comm'), 'utf8').trim();
    return parentComm === 'node' || parentComm.startsWith('node') || parentComm === 'MainThread';
  } catch {
    return false;
  }
}

/** SIGKILLs the orphans `findOrphanedTools` finds; returns them. */
export function reapOrphanedTools(scratchRoot: string): OrphanedTool[] {
  const orphans = findOrphanedTools(scratchRoot);
  for (const orphan of orphans) {
    try {
      process.kill(orphan.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return orphans;
}
