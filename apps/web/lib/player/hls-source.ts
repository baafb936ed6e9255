/**
 * Puts an HLS master playlist on an <audio> element: hls.js where MediaSource exists, the browser's own
 * HLS (Safari) otherwise. hls.js is loaded with a dynamic import, the first time something plays, so no
 * page carries it in its initial bundle (the "light" build: no subtitles, DRM or alternate renditions —
 * nothing an audio-only stream uses).
 *
 * Signed URLs expire (platform.md §5: signature and expiry sit in the path, and every playlist and
 * segment URI is relative to the master playlist). When the player gets a freshly signed master URL for
 * the same version, `relocate` makes every later request that hls.js makes under the old folder go to the
 * new folder instead — the playlists already parsed, the buffer and the playback position stay as they
 * are, so there is no gap. Nothing is computed on the client: the new folder is the server's own URL.
 */
import type HlsType from 'hls.js';

export const HLS_MIME = 'application/vnd.apple.mpegurl';

export interface FatalSourceError {
  /** HTTP status of the failed request when known (403/410: the signature is bad or expired). */
  status?: number;
  message: string;
}

export interface SourceHandle {
  readonly kind: 'hls.js' | 'native';
  /**
   * Points the source at a newly signed master playlist. 'swapped': done, nothing else to do.
   * 'reload-needed': the caller must reattach at the current position (native HLS, or another version).
   */
  relocate(masterUrl: string): 'swapped' | 'reload-needed';
  destroy(): void;
}

let hlsModule: Promise<typeof HlsType> | null = null;
function loadHls(): Promise<typeof HlsType> {
  hlsModule ??= import('hls.js/light').then((m) => m.default);
  return hlsModule;
}

function hasMediaSource(): boolean {
  return typeof window !== 'undefined' && ('MediaSource' in window || 'ManagedMediaSource' in window);
}

/** The folder of a URL, absolute: `http://host/media/hls/<sig>/<exp>/version-7/`. */
function folderOf(url: string): string {
  return new URL('.', new URL(url, window.location.href)).href;
}

/** `version-7/playlist.m3u8`: what stays the same when only the signature changes. */
function identityOf(url: string): string {
  return new URL(url, window.location.href).pathname.split('/').slice(-2).join('/');
}

export async function attachSource(
  audio: HTMLAudioElement,
  masterUrl: string,
  options: { startAt?: number; onFatal: (error: FatalSourceError) => void },
): Promise<SourceHandle> {
  if (hasMediaSource()) {
    const Hls = await loadHls();
    if (Hls.isSupported()) return attachWithHlsJs(Hls, audio, masterUrl, options);
  }
  if (audio.canPlayType(HLS_MIME)) return attachNative(audio, masterUrl, options);
  throw new Error('This browser cannot play HLS audio.');
}

function attachWithHlsJs(
  Hls: typeof HlsType,
  audio: HTMLAudioElement,
  masterUrl: string,
  options: { startAt?: number; onFatal: (error: FatalSourceError) => void },
): SourceHandle {
  const identity = identityOf(masterUrl);
  const previous = new Set<string>();
  let current = folderOf(masterUrl);
  const rewrite = (url: string): string => {
    for (const old of previous) if (url.startsWith(old)) return current + url.slice(old.length);
    return url;
  };

  const hls = new Hls({
    // The CSP (operations.md) has no `worker-src blob:`; transmuxing audio on the main thread is cheap.
    enableWorker: false,
    startPosition: options.startAt && options.startAt > 0 ? options.startAt : -1,
    // Keep a little behind the playhead for small backward seeks, not the whole track.
    backBufferLength: 30,
    xhrSetup(xhr, url) {
      const target = rewrite(url);
      if (target !== url) xhr.open('GET', target, true);
    },
  });

  let mediaRecoveries = 0;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
      mediaRecoveries++;
      hls.recoverMediaError();
      return;
    }
    const status = data.response?.code || undefined;
    options.onFatal({ status, message: data.error?.message ?? data.details });
  });
  hls.on(Hls.Events.FRAG_LOADED, () => {
    mediaRecoveries = 0;
  });
  hls.loadSource(masterUrl);
  hls.attachMedia(audio);

  return {
    kind: 'hls.js',
    relocate(next) {
      if (identityOf(next) !== identity) return 'reload-needed';
      const folder = folderOf(next);
      if (folder !== current) {
        previous.add(current);
        current = folder;
      }
      return 'swapped';
    },
    destroy() {
      hls.destroy();
    },
  };
}

function attachNative(
  audio: HTMLAudioElement,
  masterUrl: string,
  options: { startAt?: number; onFatal: (error: FatalSourceError) => void },
): SourceHandle {
  const onError = () => {
    const err = audio.error;
    if (err && err.code !== MediaError.MEDIA_ERR_ABORTED) options.onFatal({ message: err.message || `media error ${err.code}` });
  };
  const startAt = options.startAt ?? 0;
  const onMeta = () => {
    if (startAt > 0) audio.currentTime = startAt;
  };
  audio.addEventListener('error', onError);
  audio.addEventListener('loadedmetadata', onMeta, { once: true });
  audio.src = masterUrl;
  audio.load();
  return {
    kind: 'native',
    relocate: () => 'reload-needed',
    destroy() {
      audio.removeEventListener('error', onError);
      audio.removeEventListener('loadedmetadata', onMeta);
      audio.removeAttribute('src');
      audio.load();
    },
  };
}
