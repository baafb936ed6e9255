'use client';

import Link from 'next/link';
import { useAccountStatus } from '@/lib/hooks/use-account';
import { routes } from '@/lib/routes';

/** "Create an account" for visitors only: nothing for a signed-in user, nor before the page knows. */
export function FooterAccountLink() {
  const account = useAccountStatus();
  if (account !== null) return null;
  return (
    <li>
      <Link href={routes.register} prefetch={false} data-testid="footer-register">
        Create an account
      </Link>
    </li>
  );
}
