import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { UploadGate } from '@/components/upload/UploadGate';

export const metadata: Metadata = {
  title: 'Upload',
  description:
    'Upload your masters: Earshot transcodes them, draws the waveform, finds the artwork and measures loudness.',
  robots: { index: false },
};

export default function UploadPage() {
  return (
    <PageSection
      id="upload"
      title="Upload tracks"
      hint="Each file becomes a track: transcoded, waveform drawn, artwork found, loudness measured."
      className="upload-page"
      needsScript="Uploading needs JavaScript. Turn it on to upload tracks."
    >
      <UploadGate />
    </PageSection>
  );
}
