import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(PACKAGE_DIR, 'test', 'fixtures', 'crashing-worker.ts');

export interface StartedWorker {
  child: ChildProcess;
  started: { started: string; attempt: number };
  kill(): Promise<void>;
}

/** Spawns fixtures/crashing-worker.ts with tsx and resolves once its handler has started a job. */
export async function startCrashingWorker(env: Record<string, string>, timeoutMs = 30_000): Promise<StartedWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  const started = await new Promise<StartedWorker['started']>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crashing worker did not start a job within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as StartedWorker['started']);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`crashing worker exited early (${code ?? signal}); stderr:\n${stderr}`));
    });
  });
  return {
    child,
    started,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
