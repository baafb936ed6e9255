import { ApiError, describeApiError } from '@/lib/api';

/** A failed submit, split into messages shown next to their fields and one for the whole form. */
export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const noErrors: FormErrors = { fields: {}, form: null };

/**
 * The API names the field of a validation error in `error.details.field`; it is shown next to that
 * field when the form has it, otherwise above the form.
 */
export function formErrorsFrom(err: unknown, fieldsInForm: readonly string[]): FormErrors {
  const message = describeApiError(err);
  if (err instanceof ApiError) {
    const field = typeof err.details?.field === 'string' ? err.details.field : undefined;
    if (field && fieldsInForm.includes(field)) return { fields: { [field]: message }, form: null };
    if (err.status === 429) return { fields: {}, form: message };
  }
  return { fields: {}, form: message };
}
