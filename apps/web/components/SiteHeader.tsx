import Link from 'next/link';
import { LogoMark } from './Logo';
import { NavLink } from './NavLink';
import { routes } from '@/lib/routes';
import { AccountNav } from './account/AccountNav';

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
        <AccountNav />
      </div>
    </header>
  );
}
