/**
 * The limits of every field a person types into a form, defined once (docs/architecture.md,
 * "Where each kind of rule lives"): core's checks, the API's schemas and the web's forms all read
 * them from here, and the database's checks carry the same numbers. No imports, so the web app can
 * bundle this file alone (`@earshot/core/field-limits`). Each module re-exports its own.
 */

// Accounts
export const EMAIL_MAX = 254;
export const HANDLE_MIN = 2;
export const HANDLE_MAX = 30;
export const DISPLAY_NAME_MAX = 100;
export const BIO_MAX = 2000;
export const PASSWORD_MIN_LENGTH = 10;
/** In characters; the password policy also refuses more than 1,024 bytes. */
export const PASSWORD_MAX_LENGTH = 256;

// Tracks
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
/** The album, track number and year a master's tags give (docs/architecture.md, "Tags from the file"). */
export const ALBUM_MAX = 200;
export const TRACK_NUMBER_MAX = 9999;
export const YEAR_MIN = 1000;
export const YEAR_MAX = 2999;

// Catalogue: genre and tags of tracks and releases
export const GENRE_MAX = 40;
export const TAGS_MAX = 10;
export const TAG_MAX = 30;

// Releases and playlists
export const RELEASE_TITLE_MAX = 200;
export const RELEASE_DESCRIPTION_MAX = 5000;
export const RELEASE_CREDITS_MAX = 5000;
export const PLAYLIST_TITLE_MAX = 200;
export const PLAYLIST_DESCRIPTION_MAX = 5000;

// Community and moderation
/** In code points (a form's `maxLength` counts UTF-16 units, so it never refuses less than this). */
export const COMMENT_BODY_MAX = 2000;
export const REPORT_REASON_MAX = 1000;
export const TAKEDOWN_REASON_MAX = 1000;
export const RESOLUTION_NOTE_MAX = 1000;

// Search
export const SEARCH_QUERY_MAX = 100;
