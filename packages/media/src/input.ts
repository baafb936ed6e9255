/**
 * How every builder names its input: only the `file` protocol may be opened, so a hostile upload
 * that is really a playlist (HLS, ffconcat) cannot make ffmpeg fetch URLs or read other files; and a
 * path containing `:` is not mistaken for a protocol.
 */
export function inputArgs(file: string): string[] {
  return ['-protocol_whitelist', 'file', '-i', file.includes(':') && !file.startsWith('file:') ? `file:${file}` : file];
}

/** ffmpeg's `-map` for one stream of the first input, by its absolute index (`0:3`), or the first audio stream. */
export function audioMap(streamIndex: number | undefined): string {
  return streamIndex === undefined ? '0:a:0' : `0:${streamIndex}`;
}

/** Reads only that audio stream of the first input: no video (cover art), subtitle or data streams. */
export function audioOnly(streamIndex: number | undefined): string[] {
  return ['-map', audioMap(streamIndex), '-vn', '-sn', '-dn'];
}

/** Seconds for ffmpeg's time options, without float noise (`12.345`). */
export function seconds(ms: number): string {
  return (Math.round(ms) / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
}
