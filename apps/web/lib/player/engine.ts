/**
 * The player: one <audio> element for the whole visit, a queue, loudness normalisation, Media Session,
 * and signed stream URLs that are renewed before they expire. Plain TypeScript with a tiny
 * subscribe/getState store, so React reads it with `useSyncExternalStore` and non-React code (keyboard
 * shortcuts, Media Session handlers, the waveform's animation frame) drives it directly.
 *
 * The root layout mounts it once; Next's app router keeps the layout mounted across client
 * navigations, so the music keeps playing from page to page.
 */
import { describeApiError } from '../api';
import { api, ok } from '../api/client';
import { attachSource, hasMediaSource, type FatalSourceError, type SourceHandle } from './hls-source';
import { ListenMeter } from './listen-meter';
import { dbToGain, normalisationGainDb } from './loudness';
import type { PlayerTrack, StreamInfo } from './track';

export type PlayerStatus = 'idle' | 'loading' | 'playing' | 'paused' | 'error';

export interface PlayerState {
  queue: readonly PlayerTrack[];
  /** Index of the current track in `queue`, -1 when nothing is loaded. */
  index: number;
  status: PlayerStatus;
  /** Playing, but waiting for data. */
  buffering: boolean;
  error: string | null;
  /** Seconds. */
  currentTime: number;
  /** Seconds (the track's known duration until the media reports its own). */
  duration: number;
  volume: number;
  muted: boolean;
  /** Loudness normalisation on (default) or off. */
  normalize: boolean;
  /** Gain actually applied for the current track, in dB (null when off or unknown). */
  appliedGainDb: number | null;
}

const SETTINGS_KEY = 'earshot.player';
/** Renew a signed URL this long before it expires (or a fifth of its lifetime, whichever is less). */
const RENEW_LEAD_MS = 5 * 60_000;
/** `previous` restarts the current track when more than this much of it has played. */
const RESTART_THRESHOLD_S = 3;
/** Fatal source errors in a row that get a fresh URL and another try before giving up. */
const MAX_RECOVERIES = 2;

interface Settings {
  volume: number;
  muted: boolean;
  normalize: boolean;
}

function readSettings(): Settings {
  const defaults: Settings = { volume: 1, muted: false, normalize: true };
  try {
    const raw = window.localStorage.getItem(SETTINGS_KEY);
    if (!raw) return defaults;
    const s = JSON.parse(raw) as Partial<Settings>;
    return {
      volume: typeof s.volume === 'number' && s.volume >= 0 && s.volume <= 1 ? s.volume : defaults.volume,
      muted: typeof s.muted === 'boolean' ? s.muted : defaults.muted,
      normalize: typeof s.normalize === 'boolean' ? s.normalize : defaults.normalize,
    };
  } catch {
    return defaults;
  }
}

const INITIAL: PlayerState = {
  queue: [],
  index: -1,
  status: 'idle',
  buffering: false,
  error: null,
  currentTime: 0,
  duration: 0,
  volume: 1,
  muted: false,
  normalize: true,
  appliedGainDb: null,
};

interface Loaded {
  track: PlayerTrack;
  stream: StreamInfo;
  source: SourceHandle;
  expiresAt: number;
  renewTimer: ReturnType<typeof setTimeout> | undefined;
  recoveries: number;
}

type AudioContextCtor = typeof AudioContext;

export class PlayerEngine {
  private state: PlayerState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private audio: HTMLAudioElement | null = null;
  private detachAudio: (() => void) | null = null;
  private loaded: Loaded | null = null;
  /** Incremented on every load; async work of an older load checks it and stops. */
  private generation = 0;
  /** Web Audio graph (created on the first user gesture): element → gain → speakers. */
  private graph: { context: AudioContext; gain: GainNode } | null = null;
  private graphFailed = false;
  /** What space/play plays when nothing is loaded yet (the track page offers its track). */
  private offered: { tracks: PlayerTrack[]; index: number; startAt?: number } | null = null;
  private lastPositionState = 0;
  private renewing: Promise<void> | null = null;
  /** A seek asked for while the track was still loading. */
  private pendingStart: number | null = null;
  /** Time heard of the track of the current load, for its one play report. */
  private listen: { trackId: string; versionId?: string; meter: ListenMeter } | null = null;

  // --- store -------------------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): PlayerState => this.state;

  getServerState = (): PlayerState => INITIAL;

  private set(patch: Partial<PlayerState>): void {
    let changed = false;
    for (const key of Object.keys(patch) as (keyof PlayerState)[]) {
      if (patch[key] !== this.state[key]) changed = true;
    }
    if (!changed) return;
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  get current(): PlayerTrack | null {
    return this.state.queue[this.state.index] ?? null;
  }

  /** The live position, read from the element (more often than the store updates). */
  get position(): number {
    return this.audio && this.loaded ? this.audio.currentTime : this.state.currentTime;
  }

  get element(): HTMLAudioElement | null {
    return this.audio;
  }

  // --- element -----------------------------------------------------------------------------------

  /** Binds the engine to its <audio> element; returns the function that unbinds it. */
  attach(audio: HTMLAudioElement): () => void {
    if (this.audio === audio && this.detachAudio) return this.detachAudio;
    this.detachAudio?.();
    this.audio = audio;
    const settings = readSettings();
    this.set({ volume: settings.volume, muted: settings.muted, normalize: settings.normalize });
    this.applyVolume();

    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, fn: () => void) => {
      audio.addEventListener(type, fn);
      return () => audio.removeEventListener(type, fn);
    };
    const offs = [
      on('playing', () => {
        this.set({ status: 'playing', buffering: false, error: null });
        // Playback (re)starts here: time heard is measured from this position.
        this.measureListening(false);
      }),
      on('play', () => this.set({ status: this.state.status === 'loading' ? 'loading' : 'playing' })),
      on('pause', () => {
        if (!this.loaded) return;
        // Where this listening stopped: the follow-up report carries the ranges heard so far.
        this.measureListening(false, false, true);
        this.set({ status: 'paused', buffering: false });
        this.updatePositionState(true);
      }),
      on('waiting', () => this.set({ buffering: true })),
      on('timeupdate', () => {
        this.set({ currentTime: audio.currentTime });
        this.updatePositionState(false);
        this.measureListening(true);
      }),
      on('seeking', () => this.listen?.meter.jumped()),
      on('durationchange', () => {
        if (Number.isFinite(audio.duration) && audio.duration > 0) this.set({ duration: audio.duration });
        this.updatePositionState(true);
      }),
      on('seeked', () => {
        this.set({ currentTime: audio.currentTime });
        this.updatePositionState(true);
      }),
      on('ended', () => {
        this.measureListening(true, true, true);
        this.onEnded();
      }),
    ];
    // The page going away (tab closed, navigation to another site) or hidden (tab switched, phone
    // locked, where the page may be killed without another event): the follow-up report carries
    // the ranges heard up to now, so the last seconds before it are not lost. `reportPlay` sends
    // it with `fetch(…, { keepalive: true })`, which outlives the page like `sendBeacon` but keeps
    // the CSRF header (a beacon cannot set headers, and the API refuses a cookie-authenticated
    // write without it). The API counts a play once per listener per track per 30 minutes: a
    // follow-up only extends what the play heard.
    const leaving = () => this.measureListening(true, false, true);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') leaving();
    };
    window.addEventListener('pagehide', leaving);
    document.addEventListener('visibilitychange', onVisibility);
    offs.push(
      () => window.removeEventListener('pagehide', leaving),
      () => document.removeEventListener('visibilitychange', onVisibility),
    );
    this.installMediaSession();
    this.detachAudio = () => {
      for (const off of offs) off();
      this.detachAudio = null;
    };
    return this.detachAudio;
  }

  // --- commands (call them from user gestures: they may start audio) --------------------------------

  /** Plays `tracks[index]` and queues the rest of the list after it. */
  playList(tracks: readonly PlayerTrack[], index = 0, startAt?: number): void {
    if (!tracks[index]) return;
    this.unlockAudio();
    this.set({ queue: [...tracks], index });
    void this.load(startAt, true);
  }

  /** Lets play/space start this list when nothing is loaded (the track page offers its track). */
  offer(tracks: PlayerTrack[], index = 0, startAt?: number): () => void {
    const offer = { tracks, index, startAt };
    this.offered = offer;
    return () => {
      if (this.offered === offer) this.offered = null;
    };
  }

  isCurrent(trackId: string): boolean {
    return this.current?.id === trackId;
  }

  /**
   * The track's loudness became known (measured while its stream was already playable,
   * docs/performance.md, "Playable in seconds"): queued copies take it, and a track playing now is
   * normalised from here on, mid-play (the gain glides over 15 ms).
   */
  updateLoudness(trackId: string, loudness: PlayerTrack['loudness']): void {
    if (loudness == null || !this.state.queue.some((t) => t.id === trackId && t.loudness == null)) return;
    this.patchTrack(trackId, { loudness });
    if (this.loaded?.track.id === trackId) this.loaded.track = { ...this.loaded.track, loudness };
    if (this.isCurrent(trackId)) this.applyVolume();
  }

  play(): void {
    if (!this.loaded) {
      if (this.state.status === 'loading') return;
      if (this.current) {
        this.unlockAudio();
        void this.load(this.state.currentTime, true);
      } else if (this.offered) this.playList(this.offered.tracks, this.offered.index, this.offered.startAt);
      return;
    }
    this.unlockAudio();
    void this.ensureFreshUrl().then(() => this.startElement());
  }

  pause(): void {
    this.audio?.pause();
    if (this.state.status === 'loading' || this.state.status === 'playing') this.set({ status: 'paused' });
  }

  /**
   * Asks the element, not `state.status`: the status follows the element's events, which a busy
   * browser delivers after input events, so a quick second press would otherwise pause again.
   */
  toggle(): void {
    const playing = this.loaded && this.audio ? !this.audio.paused : this.state.status === 'playing';
    if (playing || this.state.status === 'loading') this.pause();
    else this.play();
  }

  /** Seconds; clamped to the track. */
  seek(seconds: number): void {
    const duration = this.state.duration;
    const t = Math.max(0, duration > 0 ? Math.min(seconds, duration - 0.05) : seconds);
    this.set({ currentTime: t });
    if (!this.loaded) {
      // Still loading: start there instead.
      if (this.state.status === 'loading') this.pendingStart = t;
      return;
    }
    if (!this.audio) return;
    void this.ensureFreshUrl().then(() => {
      if (this.audio) this.audio.currentTime = t;
    });
  }

  seekBy(delta: number): void {
    this.seek(this.position + delta);
  }

  /** Seeks the current track, or starts `track` at that fraction when another one is playing. */
  seekFraction(fraction: number, track?: PlayerTrack): void {
    const f = Math.max(0, Math.min(1, fraction));
    if (track && !this.isCurrent(track.id)) {
      const seconds = track.durationMs ? (f * track.durationMs) / 1000 : 0;
      this.playList([track], 0, seconds);
      return;
    }
    this.seek(f * this.state.duration);
  }

  next(): void {
    const { index, queue } = this.state;
    if (index + 1 < queue.length) {
      this.unlockAudio();
      this.set({ index: index + 1 });
      void this.load(0, true);
    }
  }

  previous(): void {
    const { index } = this.state;
    if (this.position > RESTART_THRESHOLD_S || index <= 0) {
      this.seek(0);
      return;
    }
    this.unlockAudio();
    this.set({ index: index - 1 });
    void this.load(0, true);
  }

  hasNext(): boolean {
    return this.state.index + 1 < this.state.queue.length;
  }

  setVolume(volume: number): void {
    const v = Math.max(0, Math.min(1, volume));
    this.set({ volume: v, muted: v === 0 ? this.state.muted : false });
    this.applyVolume();
    this.saveSettings();
  }

  toggleMute(): void {
    this.set({ muted: !this.state.muted });
    this.applyVolume();
    this.saveSettings();
  }

  setNormalize(on: boolean): void {
    this.set({ normalize: on });
    this.applyVolume();
    this.saveSettings();
  }

  // --- loading -----------------------------------------------------------------------------------

  private async load(startAt: number | undefined, autoplay: boolean): Promise<void> {
    const track = this.current;
    const audio = this.audio;
    if (!track || !audio) return;
    const generation = ++this.generation;
    this.teardownSource();
    this.pendingStart = null;
    const listen: { trackId: string; versionId?: string; meter: ListenMeter } = {
      trackId: track.id,
      meter: new ListenMeter(),
    };
    this.listen = listen;
    this.set({
      status: 'loading',
      buffering: false,
      error: null,
      currentTime: startAt ?? 0,
      duration: track.durationMs ? track.durationMs / 1000 : 0,
      appliedGainDb: null,
    });
    this.updateMetadata(track);
    try {
      const [stream, loudness] = await Promise.all([
        fetchStream(track.id),
        track.loudness !== undefined ? Promise.resolve(track.loudness) : fetchLoudness(track.id),
      ]);
      if (generation !== this.generation) return;
      // The signed path names the version (`…/version-<id>/playlist.m3u8`): the report says which one was heard.
      listen.versionId = /\/version-(\d+)\//.exec(stream.hls)?.[1];
      if (track.loudness === undefined) {
        // No measurement of the true peak: keep the stream's gain, which then only ever turns down.
        const known =
          loudness ??
          (stream.trackGainDb != null ? { trackGainDb: stream.trackGainDb, truePeakDbtp: Number.NaN } : null);
        this.patchTrack(track.id, { loudness: known });
      }
      await this.open(generation, track, stream, startAt, autoplay && this.state.status !== 'paused');
    } catch (err) {
      if (generation !== this.generation) return;
      this.set({ status: 'error', error: describeApiError(err) });
    }
  }

  private async open(
    generation: number,
    track: PlayerTrack,
    stream: StreamInfo,
    startAt: number | undefined,
    autoplay: boolean,
    recoveries = 0,
  ): Promise<void> {
    const audio = this.audio!;
    const source = await attachSource(audio, stream.hls, {
      startAt: this.pendingStart ?? startAt,
      onFatal: (error) => this.onFatal(generation, error),
      onSignatureRefused: () => {
        if (generation === this.generation) void this.renew();
      },
    });
    if (generation !== this.generation) {
      source.destroy();
      return;
    }
    this.pendingStart = null;
    this.loaded = { track, stream, source, expiresAt: Date.parse(stream.expiresAt), renewTimer: undefined, recoveries };
    this.scheduleRenewal();
    this.applyVolume();
    // Paused while hls.js was loading? Then stay paused.
    if (autoplay && this.state.status !== 'paused') await this.startElement();
    else this.set({ status: 'paused' });
  }

  private async startElement(): Promise<void> {
    const audio = this.audio;
    if (!audio) return;
    try {
      if (this.graph?.context.state === 'suspended') void this.graph.context.resume();
      await audio.play();
    } catch (err) {
      const name = (err as DOMException | undefined)?.name;
      if (name === 'AbortError') return; // a newer load or a pause interrupted it
      this.set({
        status: 'paused',
        error: name === 'NotAllowedError' ? 'Press play to start.' : describeApiError(err),
      });
    }
  }

  private teardownSource(): void {
    if (!this.loaded) return;
    clearTimeout(this.loaded.renewTimer);
    this.loaded.source.destroy();
    this.loaded = null;
  }

  private patchTrack(id: string, patch: Partial<PlayerTrack>): void {
    this.set({ queue: this.state.queue.map((t) => (t.id === id ? { ...t, ...patch } : t)) });
  }

  /**
   * Feeds the element's position to the listen meter and sends this load's play report once enough
   * has been heard. `ended` reports even though the element already says paused.
   */
  private measureListening(playing: boolean, ended = false, stopped = false): void {
    const audio = this.audio;
    const listen = this.listen;
    if (!audio || !listen || this.loaded?.track.id !== listen.trackId) return;
    listen.meter.tick(audio.currentTime, playing && (ended || (!audio.paused && !audio.seeking)));
    const duration = Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : this.state.duration;
    // While playing, only the first report (at 30 s); at a stop, also the follow-up with the ranges.
    const report = stopped
      ? listen.meter.takeRangesReport(duration)
      : listen.meter.takeReport(duration) !== null
        ? { seconds: listen.meter.seconds, ranges: listen.meter.rangesMs(duration) }
        : null;
    if (report)
      reportPlay(
        listen.trackId,
        listen.versionId,
        Math.min(report.seconds, duration > 0 ? duration : report.seconds),
        report.ranges,
      );
  }

  private onEnded(): void {
    if (this.hasNext()) this.next();
    else {
      this.set({ status: 'paused', currentTime: this.state.duration });
      this.updatePositionState(true);
    }
  }

  // --- signed URL renewal --------------------------------------------------------------------------

  private scheduleRenewal(): void {
    const loaded = this.loaded;
    if (!loaded) return;
    clearTimeout(loaded.renewTimer);
    const left = loaded.expiresAt - Date.now();
    const lead = Math.min(RENEW_LEAD_MS, Math.max(0, left) / 5);
    const delay = Math.max(5_000, left - lead);
    loaded.renewTimer = setTimeout(() => void this.renew(), delay);
  }

  /** Fetches a newly signed URL and hands it to the source; reattaches at the same position if it must. */
  private renew(): Promise<void> {
    // One renewal at a time: several refused requests in a row share it.
    this.renewing ??= this.renewNow().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async renewNow(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) return;
    const generation = this.generation;
    let stream: StreamInfo;
    try {
      stream = await fetchStream(loaded.track.id);
    } catch {
      // Try again a little later; the current URL may still be good for a while.
      if (this.loaded === loaded) loaded.renewTimer = setTimeout(() => void this.renew(), 30_000);
      return;
    }
    if (generation !== this.generation || this.loaded !== loaded) return;
    if (loaded.source.relocate(stream.hls) === 'swapped') {
      loaded.stream = stream;
      loaded.expiresAt = Date.parse(stream.expiresAt);
      this.scheduleRenewal();
      return;
    }
    await this.reopen(stream, loaded.recoveries);
  }

  /** Reattaches the current track from `stream` at the current position, keeping play/pause. */
  private async reopen(stream: StreamInfo, recoveries: number): Promise<void> {
    const loaded = this.loaded;
    const audio = this.audio;
    if (!loaded || !audio) return;
    const wasPlaying = !audio.paused || this.state.status === 'loading';
    const at = audio.currentTime || this.state.currentTime;
    const generation = ++this.generation;
    this.teardownSource();
    this.set({ status: 'loading' });
    try {
      await this.open(generation, loaded.track, stream, at, wasPlaying, recoveries);
    } catch (err) {
      if (generation === this.generation) this.set({ status: 'error', error: describeApiError(err) });
    }
  }

  /** Before a play or seek after a long pause: make sure the URL has not expired meanwhile. */
  private async ensureFreshUrl(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded || loaded.expiresAt - Date.now() > 15_000) return;
    await this.renew();
  }

  private onFatal(generation: number, error: FatalSourceError): void {
    if (generation !== this.generation || !this.loaded) return;
    const loaded = this.loaded;
    if (loaded.recoveries >= MAX_RECOVERIES) {
      this.set({
        status: 'error',
        error:
          error.status === 404
            ? 'This track is not available any more.'
            : 'Playback stopped: the stream could not be loaded.',
      });
      return;
    }
    // Usually an expired or revoked signature (403/410) or a dropped connection: fresh URL, same spot.
    void fetchStream(loaded.track.id).then(
      (stream) => {
        if (this.loaded === loaded) return this.reopen(stream, loaded.recoveries + 1);
      },
      (err: unknown) => {
        if (this.loaded === loaded) this.set({ status: 'error', error: describeApiError(err) });
      },
    );
  }

  // --- volume and loudness --------------------------------------------------------------------------

  /**
   * Creates the Web Audio graph inside a user gesture (browsers only start an AudioContext then).
   * Without Web Audio, normalisation can still turn loud tracks down through the element's volume.
   */
  private unlockAudio(): void {
    if (this.graph) {
      if (this.graph.context.state === 'suspended') void this.graph.context.resume();
      return;
    }
    if (this.graphFailed || !this.audio) return;
    // Without MediaSource the browser plays HLS itself (Safari), and WebKit sends such a stream to a
    // MediaElementAudioSourceNode as silence: keep the element's own output there.
    if (!hasMediaSource()) {
      this.graphFailed = true;
      return;
    }
    const Ctor: AudioContextCtor | undefined =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextCtor }).webkitAudioContext;
    if (!Ctor) {
      this.graphFailed = true;
      return;
    }
    try {
      const context = new Ctor();
      const source = context.createMediaElementSource(this.audio);
      const gain = context.createGain();
      source.connect(gain).connect(context.destination);
      this.graph = { context, gain };
      if (context.state === 'suspended') void context.resume();
      this.applyVolume();
    } catch {
      this.graphFailed = true;
    }
  }

  private applyVolume(): void {
    const audio = this.audio;
    if (!audio) return;
    const { volume, muted, normalize } = this.state;
    const track = this.current;
    const loudness = track?.loudness ?? null;
    const gainDb = normalize && loudness ? normalisationGainDb(loudness.trackGainDb, loudness.truePeakDbtp) : null;
    const factor = gainDb == null ? 1 : dbToGain(gainDb);
    this.set({ appliedGainDb: gainDb });
    if (this.graph) {
      // The element stays at full scale; the gain node does volume × normalisation.
      audio.volume = 1;
      audio.muted = false;
      this.graph.gain.gain.setTargetAtTime(muted ? 0 : volume * factor, this.graph.context.currentTime, 0.015);
    } else {
      audio.muted = muted;
      audio.volume = Math.min(1, volume * Math.min(1, factor));
    }
  }

  private saveSettings(): void {
    const { volume, muted, normalize } = this.state;
    try {
      window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ volume, muted, normalize }));
    } catch {
      // Private mode or storage full: the setting lasts for this visit only.
    }
  }

  // --- Media Session -------------------------------------------------------------------------------

  private installMediaSession(): void {
    if (typeof navigator === 'undefined' || !('mediaSession' in navigator)) return;
    const session = navigator.mediaSession;
    const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', () => this.play()],
      ['pause', () => this.pause()],
      ['stop', () => this.pause()],
      ['previoustrack', () => this.previous()],
      ['nexttrack', () => this.next()],
      ['seekbackward', (d) => this.seekBy(-(d.seekOffset ?? 10))],
      ['seekforward', (d) => this.seekBy(d.seekOffset ?? 10)],
      ['seekto', (d) => d.seekTime != null && this.seek(d.seekTime)],
    ];
    for (const [action, handler] of handlers) {
      try {
        session.setActionHandler(action, handler);
      } catch {
        // Action not supported by this browser.
      }
    }
  }

  private updateMetadata(track: PlayerTrack): void {
    if (typeof navigator === 'undefined' || !('mediaSession' in navigator) || typeof MediaMetadata === 'undefined')
      return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title: track.title,
      artist: track.artist.displayName,
      artwork: track.artworkUrl ? [{ src: new URL(track.artworkUrl, window.location.href).href }] : [],
    });
  }

  private updatePositionState(force: boolean): void {
    if (typeof navigator === 'undefined' || !('mediaSession' in navigator) || !this.audio) return;
    const now = Date.now();
    if (!force && now - this.lastPositionState < 1_000) return;
    this.lastPositionState = now;
    const audio = this.audio;
    navigator.mediaSession.playbackState = this.loaded ? (audio.paused ? 'paused' : 'playing') : 'none';
    const duration = Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : this.state.duration;
    if (!navigator.mediaSession.setPositionState || !(duration > 0)) return;
    try {
      navigator.mediaSession.setPositionState({
        duration,
        playbackRate: audio.playbackRate || 1,
        position: Math.min(Math.max(0, audio.currentTime), duration),
      });
    } catch {
      // Inconsistent values while a source is swapped; the next event sets it again.
    }
  }
}

async function fetchStream(trackId: string): Promise<StreamInfo> {
  return ok(api.GET('/api/v1/tracks/{id}/stream', { params: { path: { id: trackId } } }));
}

/**
 * `POST /api/v1/tracks/:id/plays`, fire and forget: same origin with the session cookie and the CSRF
 * header (lib/api/client.ts), `keepalive` so a report sent as the page closes still leaves. A failed report
 * costs one play in the counts, never playback.
 */
function reportPlay(
  trackId: string,
  versionId: string | undefined,
  secondsListened: number,
  ranges: [number, number][],
): void {
  try {
    void ok(
      api.POST('/api/v1/tracks/{id}/plays', {
        params: { path: { id: trackId } },
        body: versionId ? { versionId, secondsListened, ranges } : { secondsListened, ranges },
        keepalive: true,
      }),
    ).catch(() => undefined);
  } catch {
    // Nothing to do: see above.
  }
}

async function fetchLoudness(trackId: string): Promise<PlayerTrack['loudness']> {
  try {
    const { track } = await ok(api.GET('/api/v1/tracks/{id}', { params: { path: { id: trackId } } }));
    return track.loudness
      ? { trackGainDb: track.loudness.trackGainDb, truePeakDbtp: track.loudness.truePeakDbtp }
      : null;
  } catch {
    // Without the true peak the player only ever turns tracks down (see normalisationGainDb).
    return null;
  }
}
