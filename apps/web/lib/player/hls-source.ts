/**
 * Puts an HLS master playlist on an <audio> element: hls.js where MediaSource exists, the browser's own
 * HLS (Safari) otherwise. hls.js is loaded with a dynamic import, the first time something plays, so no
 * page carries it in its initial bundle (the "light" build: no subtitles, DRM or alternate renditions —
 * nothing an audio-only stream uses).
 *
 * Signed URLs expire (docs/architecture.md, "Delivery": signature and expiry sit in the path, and every playlist and
 * segment URI is relative to the master playlist). When the player gets a freshly signed master URL for
 * the same version, `relocate` makes every later request that hls.js makes under the old folder go to the
 * new folder instead — the playlists already parsed, the buffer and the playback position stay as they
 * are, so there is no gap. Nothing is computed on the client: the new folder is the server's own URL.
 */
import type HlsType from 'hls.js';

export const HLS_MIME = 'application/vnd.apple.mpegurl';
/** Retries of a request refused with 403/410, each after a fresh URL was asked for. */
const SIGNATURE_RETRIES = 3;

export interface FatalSourceError {
  /** HTTP status of the failed request when known (403/410: the signature is bad or expired). */
  status?: number;
  message: string;
}

export interface SourceOptions {
  /** Seconds to start from. */
  startAt?: number;
  /** The source gave up (after hls.js's own retries): the caller may reattach with a fresh URL. */
  onFatal: (error: FatalSourceError) => void;
  /** A request was refused with 403/410: the signed URL needs renewing. */
  onSignatureRefused?: () => void;
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

export function hasMediaSource(): boolean {
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
  options: SourceOptions,
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
  options: SourceOptions,
): SourceHandle {
  const identity = identityOf(masterUrl);
  const previous = new Set<string>();
  let current = folderOf(masterUrl);
  const rewrite = (url: string): string => {
    for (const old of previous) if (url.startsWith(old)) return current + url.slice(old.length);
    return url;
  };

  // hls.js never retries a 4xx. A 403/410 here means the signature expired or was refused: the
  // ERROR handler below asks for a fresh URL at once, and a retry a second later goes to it.
  type Policy = (typeof Hls.DefaultConfig)['fragLoadPolicy'];
  const signatureRetry = (policy: Policy): Policy => {
    const base = policy.default.errorRetry ?? { maxNumRetry: 0, retryDelayMs: 1000, maxRetryDelayMs: 8000 };
    return {
      default: {
        ...policy.default,
        errorRetry: {
          ...base,
          retryDelayMs: Math.max(1000, base.retryDelayMs),
          shouldRetry: (_config, retryCount, _isTimeout, response, retry) =>
            retry || ((response?.code === 403 || response?.code === 410) && retryCount < SIGNATURE_RETRIES),
        },
      },
    };
  };

  const hls = new Hls({
    fragLoadPolicy: signatureRetry(Hls.DefaultConfig.fragLoadPolicy),
    playlistLoadPolicy: signatureRetry(Hls.DefaultConfig.playlistLoadPolicy),
    manifestLoadPolicy: signatureRetry(Hls.DefaultConfig.manifestLoadPolicy),
    // The CSP (packages/security-headers, nginx/templates/) has no `worker-src blob:`; transmuxing audio on the main thread is cheap.
    enableWorker: false,
    // 0, not hls.js's default -1: a version still being processed has a growing (EVENT) playlist, which
    // hls.js would otherwise join near its end, as live.
    startPosition: options.startAt && options.startAt > 0 ? options.startAt : 0,
    // About a minute ahead (hls.js's default fills up to 60 MB, a whole album at these bitrates — wasted
    // on listeners who skip), and a little behind the playhead for small backward seeks.
    maxBufferLength: 60,
    maxMaxBufferLength: 120,
    backBufferLength: 30,
    xhrSetup(xhr, url) {
      const target = rewrite(url);
      if (target !== url) xhr.open('GET', target, true);
    },
  });

  let mediaRecoveries = 0;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    const status = data.response?.code || undefined;
    // A refused signature (expired, or the secret rotated): ask for a fresh URL now; hls.js's own
    // retry of the request then goes to the relocated folder.
    if (status === 403 || status === 410) options.onSignatureRefused?.();
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
      mediaRecoveries++;
      hls.recoverMediaError();
      return;
    }
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

function attachNative(audio: HTMLAudioElement, masterUrl: string, options: SourceOptions): SourceHandle {
  const onError = () => {
    const err = audio.error;
    if (err && err.code !== MediaError.MEDIA_ERR_ABORTED)
      options.onFatal({ message: err.message || `media error ${err.code}` });
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
