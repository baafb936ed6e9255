import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { acceptsConnections } from '../../support/process.ts';

/** Debian's nginx: `NGINX_BIN`, else the first `nginx` on PATH, else the sbin folders PATH often lacks. */
export function findNginx(): string {
  const candidates = [
    process.env.NGINX_BIN,
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => d && path.join(d, 'nginx')),
    '/usr/sbin/nginx',
    '/usr/local/sbin/nginx',
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new Error('nginx not found (set NGINX_BIN or install nginx)');
}

export interface NginxProcess {
  child: ChildProcess;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground (`daemon off`) with the given prefix and configuration, and
 * waits until `readyPort` accepts connections. Stops only this process (its master; the workers
 * follow it).
 */
export async function startNginx(options: {
  confPath: string;
  prefix: string;
  readyPort: number;
}): Promise<NginxProcess> {
  const errorLogPath = path.join(options.prefix, 'logs', 'error.log');
  const child = spawn(
    findNginx(),
    ['-p', options.prefix, '-c', options.confPath, '-e', errorLogPath, '-g', 'daemon off;'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const errorLog = () => readFile(errorLogPath, 'utf8').catch(() => '');
  for (let i = 0; !(await acceptsConnections(options.readyPort)); i++) {
    if (gone || i > 400) throw new Error(`nginx did not start:\n${output}\n${await errorLog()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    errorLog,
    async stop() {
      if (!gone) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
