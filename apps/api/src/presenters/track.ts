import { Type, type Static } from 'typebox';
import type { TrackView, VersionView } from '@earshot/core';
import type { TrackVersion } from '@earshot/db';
import { publicMediaUrl } from '../media-urls.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const StepSchema = Type.Object({
  state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Number(),
  error: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});

export const VersionSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('uploaded'), Type.Literal('processing'), Type.Literal('ready'), Type.Literal('failed')]),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  steps: Type.Record(Type.String(), StepSchema),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  sampleRate: Type.Union([Type.Integer(), Type.Null()]),
  channels: Type.Union([Type.Integer(), Type.Null()]),
  codec: Type.Union([Type.String(), Type.Null()]),
  originalFilename: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  readyAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const TrackResponse = Type.Object({
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')]),
  artist: Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String() }),
  status: VersionSchema.properties.status,
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  loudness: Type.Union([Type.Object({ integratedLufs: Type.Number(), lra: Type.Number(), truePeakDbtp: Type.Number(), trackGainDb: Type.Number() }), Type.Null()]),
  artworkUrl: Nullable(Type.String()),
  waveformUrl: Nullable(Type.String()),
  currentVersionId: Nullable(Type.String()),
  currentVersion: Type.Union([VersionSchema, Type.Null()]),
  latestVersion: VersionSchema,
  createdAt: Type.String({ format: 'date-time' }),
  /** Only for the owner and admins, when an admin took the track down. */
  takedown: Type.Union([Type.Object({ at: Type.String({ format: 'date-time' }), reason: Type.String() }), Type.Null()]),
});
export type TrackResponse = Static<typeof TrackResponse>;

export function presentTrack(view: TrackView): TrackResponse {
  const { artworkKey, waveformKey, hlsKey: _hls, ...rest } = view;
  return {
    ...rest,
    artworkUrl: artworkKey ? publicMediaUrl('images', artworkKey) : null,
    waveformUrl: waveformKey ? publicMediaUrl('waveforms', waveformKey) : null,
  };
}

export function presentVersion(v: TrackVersion | VersionView): Static<typeof VersionSchema> {
  if ('originalFilename' in v) return v;
  return {
    id: v.id,
    status: v.status,
    failureReason: v.failure_reason,
    steps: v.steps as Static<typeof VersionSchema>['steps'],
    durationMs: v.duration_ms,
    sampleRate: v.sample_rate,
    channels: v.channels,
    codec: v.codec,
    originalFilename: v.original_filename,
    createdAt: v.created_at.toISOString(),
    readyAt: v.ready_at ? v.ready_at.toISOString() : null,
  };
}
