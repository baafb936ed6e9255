import Negotiator from 'negotiator';

/**
 * Whether an `Accept-Encoding` header prefers a gzipped body (`q=0` and `identity`-only refuse
 * it). `x-gzip` is gzip's old name (RFC 9110 §8.4.1.3) and counts as gzip.
 */
export function acceptsGzip(headers: { 'accept-encoding'?: string | undefined }): boolean {
  const header = headers['accept-encoding'];
  if (!header) return false;
  const normalised = header.replace(/(^|[\s,])x-gzip\b/gi, '$1gzip');
  return new Negotiator({ headers: { 'accept-encoding': normalised } }).encoding(['gzip', 'identity']) === 'gzip';
}
