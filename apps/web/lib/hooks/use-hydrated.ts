'use client';

import { useEffect, useState } from 'react';

/**
 * false in the server HTML and until React has hydrated the form. Submit buttons stay disabled
 * until then, so a click that comes too early cannot submit the form natively (a GET that would
 * put the password in the URL) or race the hydration.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
