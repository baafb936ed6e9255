import Link from 'next/link';
import { LogoMark } from './Logo';
import { NavLink } from './NavLink';
import { routes } from '@/lib/routes';
import { AccountNav } from './account/AccountNav';
import './site-header.css';
import { SearchBox } from './search/SearchBox';
import { NotificationBell } from './community/NotificationBell';

/** The header's main links, in order (`prefetch: false` where the link is not prefetched). */
const NAV: Array<{ href: string; label: string; prefetch?: false }> = [
  { href: routes.home, label: 'Home' },
  { href: routes.feed, label: 'Feed', prefetch: false },
  { href: routes.library, label: 'Library', prefetch: false },
  { href: routes.trending, label: 'Trending' },
  { href: routes.upload, label: 'Upload', prefetch: false },
];

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link href={routes.home} className="wordmark" aria-label="Earshot, home">
          <LogoMark />
          <span>Earshot</span>
        </Link>
        <nav className="site-nav" aria-label="Main">
          <ul className="site-nav__list">
            {NAV.map(({ href, label, prefetch }) => (
              <li key={href}>
                <NavLink href={href} className="site-nav__link" prefetch={prefetch}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox />
        <NotificationBell />
        <AccountNav />
      </div>
    </header>
  );
}
