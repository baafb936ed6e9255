'use client';

import { useEffect, useState } from 'react';
import { fetchAccount, onAccountChange, type AccountUser } from '@/lib/account';

/** The signed-in account (null: signed out or not known yet), following sign-in and sign-out on the page. */
export function useAccount(): AccountUser | null {
  const [user, setUser] = useState<AccountUser | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchAccount(controller.signal).then(setUser, () => undefined);
    const off = onAccountChange(setUser);
    return () => {
      controller.abort();
      off();
    };
  }, []);
  return user;
}
