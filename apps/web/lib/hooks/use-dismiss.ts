'use client';
import { type RefObject, useEffect } from 'react';

/** While `open`, Escape or a press outside `box` calls `dismiss` (menus and pop-overs). */
export function useDismiss(open: boolean, box: RefObject<HTMLElement | null>, dismiss: () => void): void {
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) dismiss();
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open, box, dismiss]);
}
