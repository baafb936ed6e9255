/**
 * The upload is not usable audio (no audio stream, empty, truncated, unreadable). Permanent:
 * retrying cannot help. The message is shown to the uploader as is.
 */
export class MediaRejectedError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'MediaRejectedError';
  }
}

export function isPermanent(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}
