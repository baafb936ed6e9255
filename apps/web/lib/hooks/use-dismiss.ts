'use client';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';

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

/**
 * A menu or pop-over opened by a button: whether it is open, `ref` for the box around the button and
 * what it opens (Escape or a press outside it closes it), and `button`, the button's props (it
 * toggles the pop-over and says so to assistive technology).
 */
export function usePopover() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, ref, close);
  const button = {
    type: 'button',
    'aria-expanded': open,
    'aria-haspopup': 'true',
    onClick: () => setOpen((o) => !o),
  } as const;
  return { open, setOpen, ref, button };
}
