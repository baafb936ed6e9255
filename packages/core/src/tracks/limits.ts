/**
 * The limits of a track's fields, defined once (docs/architecture.md, "Where each kind of rule
 * lives"): core's checks, the API's schemas and the web's forms all read them from here. No
 * imports, so the web app can bundle this file alone (`@earshot/core/track-limits`).
 */
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
/** The album, track number and year a master's tags give (docs/architecture.md, "Tags from the file"). */
export const ALBUM_MAX = 200;
export const TRACK_NUMBER_MAX = 9999;
export const YEAR_MIN = 1000;
export const YEAR_MAX = 2999;
