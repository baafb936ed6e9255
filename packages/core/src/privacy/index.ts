export { collectTrackObjects, deleteTrackObjects, type TrackObjects } from './track-objects.ts';
export { exportAccount, type AccountExport } from './export-account.ts';
export { deleteAccount, wrongPasswordForDeletion } from './delete-account.ts';
