export * from './errors.ts';
export { listLatestTracks, type TrackCard } from './tracks/list-latest.ts';
