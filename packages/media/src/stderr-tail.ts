/**
 * Keeps only the last `maxBytes` of a stream (ffmpeg's stderr can be megabytes on a long run with
 * warnings; we only ever need its end for error messages and the ebur128 summary).
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length >= this.maxBytes) {
      this.chunks = [chunk.subarray(chunk.length - this.maxBytes)];
      this.size = this.maxBytes;
      this.dropped = true;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.maxBytes) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  /** The kept text; when older output was dropped, the first (partial) line is cut off. */
  toString(): string {
    let text = Buffer.concat(this.chunks, this.size).toString('utf8');
    const partial = this.dropped || this.size > this.maxBytes;
    if (this.size > this.maxBytes) text = text.slice(text.length - this.maxBytes);
    if (partial) {
      const nl = text.indexOf('\n');
      if (nl >= 0) text = text.slice(nl + 1);
    }
    return text;
  }
}

const NOISE = [
  /^Conversion failed!?$/,
  /^Exiting normally, received signal \d+\.?$/,
  /^Error (?:while|closing|reinitializing)/,
  /^Failed to (?:inject frame|set value)/,
  /^Consider increasing the value for the 'analyzeduration'/,
  /^\s*Last message repeated/,
  /^(?:size|video|frame)=/,
];

/**
 * A short reason a person can read, from the end of ffmpeg's stderr: the last line that says
 * something (not "Conversion failed!"), without the `[aac @ 0x55…]` prefix and without the path of
 * the file in front of "Invalid data found when processing input" (`paths`: the command's
 * arguments, so relative paths are recognised too).
 */
export function reasonFromStderr(stderr: string, paths: readonly string[] = []): string | null {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/^\[[^\]]+ @ (?:0x)?[0-9a-f]+\]\s*/i, '').trim())
    .filter((l) => l.length > 0 && !NOISE.some((re) => re.test(l)));
  const last = lines.at(-1);
  if (last === undefined) return null;
  let withoutPath = last;
  for (const p of [...paths].sort((a, b) => b.length - a.length)) {
    if (p.length > 0 && withoutPath.startsWith(`${p}: `)) {
      withoutPath = withoutPath.slice(p.length + 2);
      break;
    }
  }
  withoutPath = withoutPath.replace(/^(?:file:)?\/[^:]*:\s+/, '').replace(/^pipe:\d*:\s+/, '');
  return withoutPath.length > 300 ? `${withoutPath.slice(0, 297)}...` : withoutPath;
}
