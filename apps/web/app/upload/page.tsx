import type { Metadata } from 'next';
import { UploadGate } from '@/components/upload/UploadGate';

export const metadata: Metadata = {
  title: 'Upload',
  description:
    'Upload your masters: Earshot transcodes them, draws the waveform, finds the artwork and measures loudness.',
  robots: { index: false },
};

export default function UploadPage() {
  return (
    <section className="section container upload-page" aria-labelledby="upload-title">
      <div className="section__head">
        <h1 id="upload-title" className="section__title">
          Upload tracks
        </h1>
        <p className="section__hint">
          Each file becomes a track: transcoded, waveform drawn, artwork found, loudness measured.
        </p>
      </div>
      <UploadGate />
      <noscript>
        <p className="feed-message">Uploading needs JavaScript. Turn it on to upload tracks.</p>
      </noscript>
    </section>
  );
}
