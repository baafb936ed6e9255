/** The Earshot mark: five waveform bars, the middle one in the accent colour. */
export function LogoMark({ size = 22 }: { size?: number }) {
  return (
    <svg className="logo-mark" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="2" y="9" width="3" height="6" rx="1.5" fill="currentColor" opacity="0.55" />
      <rect x="6.5" y="5" width="3" height="14" rx="1.5" fill="currentColor" opacity="0.8" />
      <rect x="11" y="2" width="3" height="20" rx="1.5" fill="var(--accent)" />
      <rect x="15.5" y="6" width="3" height="12" rx="1.5" fill="currentColor" opacity="0.8" />
      <rect x="20" y="10" width="2.5" height="4" rx="1.25" fill="currentColor" opacity="0.55" />
    </svg>
  );
}
