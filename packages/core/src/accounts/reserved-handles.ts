/**
 * Handles that can never be taken: they are (or may become) top-level paths of the site, whose
 * artist pages live at `/<handle>`, or they would let someone pass for the platform itself.
 * Add the first path segment of every new top-level web page or platform route here.
 */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  // Platform paths (nginx and the embedded server route these before the web app).
  'api', 'media', 'images', 'waveforms', 'metrics', 'health', 'docs', 'static', 'assets', 'public', '_next', 'favicon.ico', 'robots.txt', 'sitemap.xml', 'icon.svg', 'ws',
  // Web app pages (apps/web/app and lib/routes.ts).
  'login', 'logout', 'signin', 'sign-in', 'signout', 'sign-out', 'register', 'signup', 'sign-up', 'join', 'settings', 'account', 'profile', 'me',
  'upload', 'uploads', 'trending', 'tracks', 'track', 'releases', 'release', 'albums', 'playlists', 'playlist', 'search',
  'studio', 'genre', 'tag', 'explore', 'discover', 'feed',
  'library', 'collection', 'stream', 'embed', 'player', 'checkout', 'cart', 'orders', 'purchases', 'downloads', 'download', 'notifications', 'messages',
  'users', 'user', 'artists', 'artist', 'listeners', 'tags', 'genres', 'comments', 'likes', 'reposts', 'followers', 'following', 'stats', 'dashboard',
  'forgot-password', 'reset-password', 'verify-email', 'password', 'email', 'auth', 'oauth', 'callback', 'new', 'edit',
  // Names that would let someone pass for the operators.
  'admin', 'administrator', 'root', 'system', 'support', 'help', 'staff', 'moderator', 'mod', 'security', 'abuse', 'postmaster', 'webmaster', 'hostmaster',
  'noreply', 'no-reply', 'earshot', 'official', 'about', 'terms', 'privacy', 'legal', 'contact', 'status', 'blog', 'jobs', 'null', 'undefined', 'anonymous',
]);
