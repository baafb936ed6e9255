import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';

export const exec = promisify(execFile);

/** Polls the version until it leaves `processing`. */
export async function waitForVersion(
  db: Kysely<Database>,
  versionId: string,
  attempts = 1200,
): Promise<{ status: string; failure_reason: string | null }> {
  for (let i = 0; i < attempts; i++) {
    const v = await db
      .selectFrom('track_versions')
      .select(['status', 'failure_reason'])
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow();
    if (v.status !== 'processing') return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`version ${versionId} still processing`);
}

/** Duration of what ffprobe decodes from a playlist (or any file), in ms. */
export async function decodedDurationMs(file: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Math.round(Number(stdout.trim()) * 1000);
}

/** Duration by actually decoding every sample (what a player gets), in ms. */
export async function fullyDecodedMs(file: string): Promise<number> {
  const { stderr } = await exec('ffmpeg', ['-nostdin', '-v', 'info', '-i', file, '-map', '0:a:0', '-f', 'null', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const times = [...stderr.matchAll(/time=(\d+):(\d+):(\d+\.\d+)/g)];
  const last = times[times.length - 1];
  if (!last) throw new Error(`no time in ffmpeg output: ${stderr.slice(-500)}`);
  return Math.round((Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3])) * 1000);
}
