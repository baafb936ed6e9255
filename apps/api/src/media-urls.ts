/** Public (unsigned) media URLs: nginx in production and the API in embedded mode serve these paths. */
export function publicMediaUrl(bucket: 'images' | 'waveforms', key: string): string {
  return `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
