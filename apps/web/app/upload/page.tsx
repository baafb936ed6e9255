import { PageSection } from '@/components/PageSection';
import { unindexed } from '@/lib/metadata';
import { UploadGate } from '@/components/upload/UploadGate';

export const metadata = unindexed(
  'Upload',
  'Upload your masters: Earshot transcodes them, draws the waveform, finds the artwork and measures loudness.',
);

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
