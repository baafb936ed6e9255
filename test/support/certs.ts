/** Self-signed TLS certificates made with openssl for the tests that serve or check HTTPS. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A self-signed certificate for `cn`, valid for `days`, with `altNames` as its subjectAltName when
 * given (`DNS:localhost,IP:127.0.0.1`): key.pem and cert.pem written into `dir`.
 */
export async function selfSignedCert(
  dir: string,
  options: { cn: string; days: number; altNames?: string },
): Promise<{ keyPath: string; certPath: string }> {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  const san = options.altNames ? ['-addext', `subjectAltName=${options.altNames}`] : [];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    String(options.days),
    '-subj',
    `/CN=${options.cn}`,
    ...san,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  return { keyPath, certPath };
}
