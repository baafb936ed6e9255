import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/**
 * The contrib extensions the migrations create (`create extension if not exists`): trigram
 * similarity and accent folding for search (docs/architecture.md, "Search"). PostgreSQL ships them
 * with the server; every PGlite the project opens loads them with this.
 */
export const PGLITE_EXTENSIONS = { pg_trgm, unaccent };
