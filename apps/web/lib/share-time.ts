/**
 * `?t=` in a shared link (docs/architecture.md, "Embeds and sharing"): where playback starts.
 * Accepts `1h2m3s`, `1m23s`, `45s` and plain seconds (`83`); anything else is ignored.
 */
const MAX_SECONDS = 24 * 3600;

export function parseStartTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  if (/^\d{1,5}$/.test(v)) return Math.min(Number(v), MAX_SECONDS);
  const m = /^(?:(\d{1,2})h)?(?:(\d{1,3})m)?(?:(\d{1,5})s)?$/.exec(v);
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return Math.min(seconds, MAX_SECONDS);
}

/** 83 → `1m23s`, 3723 → `1h2m3s`, 5 → `5s`. */
export function formatStartTime(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}

/** The iframe another site pastes (the same markup the oEmbed route answers). */
export function embedCode(origin: string, kind: 'track' | 'release', id: string, title: string): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const height = kind === 'track' ? 166 : 420;
  return `<iframe src="${esc(`${origin}/embed/${kind}/${id}`)}" width="600" height="${height}" style="border:0" allow="autoplay; encrypted-media" loading="lazy" title="${esc(title)}"></iframe>`;
}
