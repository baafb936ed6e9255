/**
 * What people type, as the search bench and its EXPLAIN script send it: one typo per word
 * ("harbur", "midnigt", "riverr"), accents left out ("cafe", "selene"), an artist's name, a tag
 * a quarter of the catalogue carries ("field recording": the widest match), and the start of a
 * word as the search box sends it while typing ("harb", "noctu").
 */
export const QUERIES = [
  'harbur lights',
  'midnigt garden',
  'cafe nocturne',
  'velvet riverr',
  'field recording',
  'mara selene',
  'harb',
  'noctu',
];
