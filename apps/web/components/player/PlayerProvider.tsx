'use client';

/**
 * Mounted once, in the root layout: the player engine, its <audio> element, the player bar and the
 * keyboard shortcuts. The app router keeps the layout mounted across client navigations, so the same
 * element keeps playing while the pages under it change.
 */
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { PlayerEngine, type PlayerState } from '@/lib/player/engine';
import { PlayerBar } from './PlayerBar';

const PlayerContext = createContext<PlayerEngine | null>(null);

export function usePlayer(): PlayerEngine {
  const engine = useContext(PlayerContext);
  if (!engine) throw new Error('usePlayer() needs <PlayerProvider> above it (app/layout.tsx)');
  return engine;
}

export function usePlayerState(): PlayerState {
  const engine = usePlayer();
  return useSyncExternalStore(engine.subscribe, engine.getState, engine.getServerState);
}

/**
 * One value derived from the player state; the component re-renders only when it changes (the position
 * changes four times a second, which a play button on every card does not need to know).
 * `select` must return a primitive (or the same object) for equal states.
 */
export function usePlayerSelector<T>(select: (state: PlayerState) => T): T {
  const engine = usePlayer();
  return useSyncExternalStore(
    engine.subscribe,
    () => select(engine.getState()),
    () => select(engine.getServerState()),
  );
}

const SEEK_STEP_S = 5;

/** Typing somewhere: leave every key alone. */
function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement)
    return !['button', 'checkbox', 'radio', 'reset', 'submit', 'file', 'color', 'image'].includes(el.type);
  return false;
}

/** Elements where space and the arrows already mean something (activate, move a slider). */
function ownsKey(el: Element | null, key: string): boolean {
  if (!el) return false;
  if (key === ' ')
    return !!el.closest('button, summary, [role="button"], [role="checkbox"], [role="switch"], input, select');
  return !!el.closest('input, select, [role="slider"], [role="listbox"], [role="menu"], [role="tablist"]');
}

/**
 * space play/pause · ←/→ seek 5 s · shift+←/→ previous/next · m mute. Not while typing, not with
 * ctrl/alt/meta (browser and OS shortcuts), not when the focused control uses the key itself.
 */
function useShortcuts(engine: PlayerEngine): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (isTextEntry(target)) return;
      const key = event.key;
      if (key === ' ' || key === 'Spacebar') {
        if (ownsKey(target, ' ') || event.repeat) return;
        event.preventDefault();
        engine.toggle();
      } else if ((key === 'ArrowLeft' || key === 'ArrowRight') && engine.current) {
        if (ownsKey(target, key)) return;
        event.preventDefault();
        const forward = key === 'ArrowRight';
        if (event.shiftKey) {
          if (forward) engine.next();
          else engine.previous();
        } else engine.seekBy(forward ? SEEK_STEP_S : -SEEK_STEP_S);
      } else if ((key === 'm' || key === 'M') && !event.shiftKey) {
        if (!engine.current) return;
        engine.toggleMute();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [engine]);
}

export function PlayerProvider({ children }: { children: ReactNode }) {
  const [engine] = useState(() => new PlayerEngine());
  const audioRef = useRef<HTMLAudioElement>(null);

  useEffect(() => engine.attach(audioRef.current!), [engine]);
  useShortcuts(engine);

  return (
    <PlayerContext.Provider value={engine}>
      {children}
      <PlayerBar />
      {/* No <track> captions: music has nothing to caption. */}
      <audio ref={audioRef} preload="none" data-testid="player-audio" hidden />
    </PlayerContext.Provider>
  );
}
