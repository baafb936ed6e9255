/**
 * `POST /api/v1/tracks` with XMLHttpRequest, because only XHR reports upload progress
 * (`xhr.upload.onprogress`); fetch cannot. Same CSRF header as every other write (lib/api.ts).
 */
import { apiErrorFrom, ApiError, csrfHeaders } from '@/lib/api';
import type { ApiResponse, paths } from '@/lib/api/client';
import type { TrackDetail } from '@/lib/player/track';

const UPLOAD_PATH = '/api/v1/tracks' satisfies keyof paths;

export interface UploadFields {
  title: string;
  visibility: 'public' | 'unlisted' | 'private';
  description?: string;
  /** Pre-filled from the file's tags; left out, the server reads the tags itself. */
  genre?: string;
  album?: string;
  trackNumber?: string;
  year?: string;
  /** `'false'`: the cover embedded in the file is not made the track's artwork ("Use the file's cover" unticked). */
  coverFromFile?: 'false';
}

export interface UploadRequest {
  promise: Promise<TrackDetail>;
  abort(): void;
}

export function uploadTrack(
  file: File,
  fields: UploadFields,
  onProgress: (sent: number, total: number) => void,
): UploadRequest {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<TrackDetail>((resolve, reject) => {
    const form = new FormData();
    // Fields first: the API reads them before it streams the file to storage.
    form.append('title', fields.title);
    form.append('visibility', fields.visibility);
    for (const name of ['description', 'genre', 'album', 'trackNumber', 'year', 'coverFromFile'] as const) {
      const value = fields[name];
      if (value) form.append(name, value);
    }
    form.append('file', file, file.name);

    xhr.open('POST', UPLOAD_PATH);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status === 201 || xhr.status === 200) {
        const track = (body as ApiResponse<typeof UPLOAD_PATH, 'post'> | null)?.track;
        if (track) resolve(track);
        else reject(new Error('unexpected response from the tracks API'));
        return;
      }
      reject(apiErrorFrom(xhr.status, body, xhr.statusText));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', 'The upload was interrupted: the connection to the server was lost.'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled.'));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** What to tell the uploader for a failed upload. */
export function uploadErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : 'The upload failed.';
  switch (err.status) {
    case 413:
      return 'This file is larger than the server accepts.';
    case 401:
      return 'Your session has ended. Sign in again, then retry.';
    case 403:
      return err.message || 'Your account cannot upload tracks.';
    default:
      // The API's messages may start in lower case ("cannot read this file: …").
      return err.message.charAt(0).toUpperCase() + err.message.slice(1);
  }
}
