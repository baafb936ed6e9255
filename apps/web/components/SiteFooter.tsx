import Link from 'next/link';
import { FooterAccountLink } from './FooterAccountLink';
import { LogoMark } from './Logo';
import { routes } from '@/lib/routes';
import './site-footer.css';

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        <p className="site-footer__brand">
          <LogoMark size={18} />
          <span>
            <strong>Earshot</strong> — listen closely, pay artists directly.
          </span>
        </p>
        <nav aria-label="Footer">
          <ul className="site-footer__links">
            <li>
              <Link href={routes.home}>Home</Link>
            </li>
            <FooterAccountLink />
          </ul>
        </nav>
        <p className="site-footer__note">Self-hosted and open source (AGPL-3.0).</p>
      </div>
    </footer>
  );
}
