import { validationFailed } from '../errors.ts';

/**
 * THE rule for text that comes from outside (every body, query and path string of the API, and
 * the multipart text fields of uploads). docs/security.md describes it; the API applies it to every
 * route in one hook, so a new route cannot forget it.
 *
 * - `line` (the default): no control character at all (C0, DEL, C1: NUL would reach PostgreSQL,
 *   which refuses it), no bidi embedding / override / isolate (U+202A–202E, U+2066–2069: "Cool Song
 *   \u202e3pm.exe" shows as "…exe.mp3"), no invisible formatting (zero-width U+200B–U+200F, word
 *   joiner and invisible operators U+2060–2064, BOM U+FEFF) — except a zero-width joiner inside an
 *   emoji sequence (👩‍🎤) — no lone surrogate (not encodable as UTF-8); then Unicode NFC.
 * - `multiline`: the same, but newlines and tabs are allowed (CRLF and CR become LF).
 * - `secret` (passwords): only control characters and lone surrogates are refused; the value is
 *   otherwise kept byte for byte (no normalisation, so a password typed before this rule still matches).
 * - `trim`: leading and trailing white space removed (the field's own rule says whether it wants it).
 */
export type TextKind = 'line' | 'multiline' | 'secret';

export interface TextPolicy {
  kind?: TextKind;
  trim?: boolean;
}

/** The schema keyword routes use to choose a kind for a string field (`{ 'x-text': 'multiline' }`). */
export const TEXT_KIND_KEYWORD = 'x-text';

const CONTROLS_LINE = /[\u0000-\u001f\u007f-\u009f]/u;
const CONTROLS_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/u;
/** Zero-width and invisible formatting; a ZWJ between two emoji (a family, a profession) is fine. */
const INVISIBLE =
  /[\u200b\u200c\u200e\u200f\u2060-\u2064\ufeff]|(?<!\p{Extended_Pictographic}\ufe0f?)\u200d|\u200d(?!\p{Extended_Pictographic})/u;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type TextProblem = 'invalid_unicode' | 'control_characters' | 'bidi_controls' | 'invisible_characters';

const MESSAGES: Record<TextProblem, string> = {
  invalid_unicode: 'contains text that is not valid Unicode',
  control_characters: 'contains control characters',
  bidi_controls: 'contains bidirectional override characters',
  invisible_characters: 'contains invisible (zero-width) characters',
};

/** What is wrong with `value` under `kind`, or null. Pure; no normalisation. */
export function textProblem(value: string, kind: TextKind = 'line'): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return 'invalid_unicode';
  if (kind === 'secret') return CONTROLS_LINE.test(value) ? 'control_characters' : null;
  if ((kind === 'multiline' ? CONTROLS_MULTILINE : CONTROLS_LINE).test(value)) return 'control_characters';
  if (BIDI_CONTROLS.test(value)) return 'bidi_controls';
  if (INVISIBLE.test(value)) return 'invisible_characters';
  return null;
}

/**
 * Checks and normalises one text value; throws a 400 `validation_failed` naming `field` (with
 * `details.reason` one of TextProblem) when it breaks the rule.
 */
export function cleanText(value: string, field: string, policy: TextPolicy = {}): string {
  const kind = policy.kind ?? 'line';
  let text = kind === 'multiline' ? value.replace(/\r\n?/g, '\n') : value;
  const problem = textProblem(text, kind);
  if (problem) throw validationFailed(`${field} ${MESSAGES[problem]}`, { field, reason: problem });
  if (kind !== 'secret') text = text.normalize('NFC');
  return policy.trim ? text.trim() : text;
}

/** Text that arrived as bytes (multipart fields, raw URLs): must be valid UTF-8. */
export function assertUtf8(bytes: Uint8Array, field: string): void {
  if (!isUtf8(bytes))
    throw validationFailed(`${field} ${MESSAGES.invalid_unicode} (the bytes are not UTF-8)`, {
      field,
      reason: 'invalid_unicode',
    });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
