const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `"24h"` → 86400; a bare number is seconds. Undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  const m = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2] || 's']!;
  return n > 0 ? n : undefined;
}
