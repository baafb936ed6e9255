'use client';

import { useEffect, useState } from 'react';
import { fetchAccount, onAccountChange, type AccountUser } from '@/lib/account';

/** The signed-in account (null: signed out or not known yet), following sign-in and sign-out on the page. */
export function useAccount(): AccountUser | null {
  return useAccountStatus() ?? null;
}

/**
 * The signed-in account, null when signed out, undefined until known: for what must not flash
 * before the answer (a link for visitors only, a button others may use but not the owner).
 */
export function useAccountStatus(): AccountUser | null | undefined {
  const [user, setUser] = useState<AccountUser | null | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    fetchAccount(controller.signal).then(setUser, () => setUser(null));
    const off = onAccountChange(setUser);
    return () => {
      controller.abort();
      off();
    };
  }, []);
  return user;
}
