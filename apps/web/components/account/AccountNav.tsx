'use client';

/**
 * The header's account corner: "Sign in / Register" for visitors (also the server-rendered HTML),
 * the signed-in user's avatar and name with Settings and Sign out once `GET /api/v1/auth/me`
 * answers. Follows sign-in and sign-out on the page without a reload.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { NavLink } from '@/components/NavLink';
import { signOut } from '@/lib/account';
import { describeApiError } from '@/lib/api';
import { useAccount } from '@/lib/hooks/use-account';
import { usePopover } from '@/lib/hooks/use-dismiss';
import { routes } from '@/lib/routes';
import { Avatar } from './Avatar';
import './account.css';

export function AccountNav() {
  const user = useAccount();
  const { open, setOpen, ref, button } = usePopover();
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();

  if (!user) {
    return (
      <nav className="site-account" aria-label="Account">
        <ul className="site-nav__list">
          <li>
            <NavLink href={routes.login} className="site-nav__link" prefetch={false}>
              Sign in
            </NavLink>
          </li>
          <li>
            <NavLink href={routes.register} className="button button--accent button--small" prefetch={false}>
              Register
            </NavLink>
          </li>
        </ul>
      </nav>
    );
  }

  const out = async () => {
    setError(null);
    try {
      await signOut();
      setOpen(false);
      router.push(routes.home);
      router.refresh();
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  return (
    <nav className="site-account" aria-label="Account">
      {user.role === 'admin' && (
        <NavLink href={routes.admin} className="site-nav__link site-account__admin" prefetch={false}>
          Admin
        </NavLink>
      )}
      <div className="account-menu" ref={ref}>
        <button className="account-menu__button" {...button} data-testid="account-menu">
          <Avatar user={user} size={32} />
          <span className="account-menu__name">{user.displayName}</span>
        </button>
        {open && (
          <div className="account-menu__panel">
            <p className="account-menu__who">
              Signed in as <strong>@{user.handle}</strong>
            </p>
            <ul className="account-menu__list">
              <li>
                <Link href={routes.artist(user.handle)} prefetch={false} onClick={() => setOpen(false)}>
                  Your page
                </Link>
              </li>
              {(user.role === 'artist' || user.role === 'admin') && (
                <li>
                  <Link href={routes.stats} prefetch={false} onClick={() => setOpen(false)}>
                    Insights
                  </Link>
                </li>
              )}
              {(user.role === 'artist' || user.role === 'admin') && (
                <li>
                  <Link href={routes.buyers} prefetch={false} onClick={() => setOpen(false)}>
                    Your buyers
                  </Link>
                </li>
              )}
              <li>
                <Link href={routes.collection} prefetch={false} onClick={() => setOpen(false)}>
                  Your collection
                </Link>
              </li>
              <li>
                <Link href={routes.settings} prefetch={false} onClick={() => setOpen(false)}>
                  Settings
                </Link>
              </li>
              <li>
                <button type="button" onClick={out}>
                  Sign out
                </button>
              </li>
            </ul>
            {error && (
              <p className="form__error" role="alert">
                {error}
              </p>
            )}
          </div>
        )}
      </div>
    </nav>
  );
}
