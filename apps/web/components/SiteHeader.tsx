import Link from 'next/link';
import { LogoMark } from './Logo';
import { NavLink } from './NavLink';
import { routes } from '@/lib/routes';
import { AccountNav } from './account/AccountNav';
import './site-header.css';
import { SearchBox } from './search/SearchBox';
import { NotificationBell } from './community/NotificationBell';

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
            <li>
              <NavLink href={routes.home} className="site-nav__link">
                Home
              </NavLink>
            </li>
            <li>
              <NavLink href={routes.feed} className="site-nav__link" prefetch={false}>
                Feed
              </NavLink>
            </li>
            <li>
              <NavLink href={routes.library} className="site-nav__link" prefetch={false}>
                Library
              </NavLink>
            </li>
            <li>
              <NavLink href={routes.trending} className="site-nav__link">
                Trending
              </NavLink>
            </li>
            <li>
              <NavLink href={routes.upload} className="site-nav__link" prefetch={false}>
                Upload
              </NavLink>
            </li>
          </ul>
        </nav>
        <SearchBox />
        <NotificationBell />
        <AccountNav />
      </div>
    </header>
  );
}
