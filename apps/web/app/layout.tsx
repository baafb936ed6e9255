import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/SiteHeader';
import { SiteFooter } from '@/components/SiteFooter';
import { PlayerProvider } from '@/components/player/PlayerProvider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Earshot', template: '%s · Earshot' },
  description:
    'Independent music with waveforms, comments pinned to the moment, and direct sales — pay what you want, straight to the artist.',
  applicationName: 'Earshot',
};

export const viewport: Viewport = {
  themeColor: '#0f1115',
  colorScheme: 'dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // globals.css scrolls smoothly (unless reduced motion is asked for); this attribute tells Next.js to
    // switch that off while it scrolls to the top of a new page, so navigation stays instant.
    <html lang="en" data-scroll-behavior="smooth">
      <body>
        {/* The player (audio element + bar) lives here so that playback survives client navigation. */}
        <PlayerProvider>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <SiteHeader />
          <main id="main" className="site-main" tabIndex={-1}>
            {children}
          </main>
          <SiteFooter />
        </PlayerProvider>
      </body>
    </html>
  );
}
