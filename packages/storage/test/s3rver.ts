/** s3rver in a process of its own (see s3rver-process.mjs for why), for the S3 adapter's tests and the upload benchmark. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface S3rver {
  process: ChildProcess;
  endpoint: string;
  /** Asks it to close and waits for it to exit (a no-op once it has). */
  stop(): Promise<void>;
}

/** Starts s3rver on a loopback port with `dir` as its storage, and resolves once it listens. */
export async function startS3rver(dir: string): Promise<S3rver> {
  const child = fork(fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url)), [dir], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => Promise.reject(new Error('s3rver exited'))),
  ])) as [{ port: number }];
  return {
    process: child,
    endpoint: `http://127.0.0.1:${message.port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}
