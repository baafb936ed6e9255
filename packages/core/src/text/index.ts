export {
  cleanText,
  textProblem,
  assertUtf8,
  TEXT_KIND_KEYWORD,
  type TextKind,
  type TextPolicy,
  type TextProblem,
} from './text-input.ts';
