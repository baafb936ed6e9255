/**
 * Every in-app URL is built here, so that pages added later only need to change this file.
 * Routes not implemented yet answer with the not-found page; links to them use `prefetch={false}` so that
 * the home page does not fire a 404 prefetch per card (revisit once those pages exist).
 */
export const routes = {
  home: '/',
  login: '/login',
  /** The sign-in page, coming back to `next` afterwards. */
  loginThen: (next: string) => `/login?next=${encodeURIComponent(next)}`,
  register: '/register',
  settings: '/settings',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  verifyEmail: '/verify-email',
  upload: '/upload',
  collection: '/collection',
  thanks: '/thanks',
  feed: '/feed',
  library: '/library',
  unsubscribe: '/unsubscribe',
  trending: '/trending',
  stats: '/stats',
  admin: '/admin',
  buyers: '/buyers',
  artist: (handle: string) => `/${encodeURIComponent(handle)}`,
  track: (t: { id: string; slug?: string; artist: { handle: string } }) =>
    `/${encodeURIComponent(t.artist.handle)}/${encodeURIComponent(t.slug ?? t.id)}`,
  release: (id: string) => `/release/${encodeURIComponent(id)}`,
  playlist: (id: string) => `/playlist/${encodeURIComponent(id)}`,
  genre: (name: string) => `/genre/${encodeURIComponent(name)}`,
  tag: (name: string) => `/tag/${encodeURIComponent(name)}`,
} as const;
