'use client';
/**
 * THE way a form submits to the API: `pending` while it runs (and until React has hydrated the
 * page, so an early click cannot submit natively), the API's `{error: {code, message, details}}`
 * shown next to its field or above the form, and a sentence when it is done.
 *
 *   const s = useFormSubmit(['email', 'password']);
 *   <form onSubmit={s.onSubmit(async (form) => { await ok(api.POST(…, { body: … })); return 'Saved.'; })}>
 *     <Field name="email" error={s.errors.fields.email} /> <FormError message={s.errors.form} />
 *     <button disabled={s.pending}>
 */
import { useCallback, useState, type FormEvent } from 'react';
import { ApiError, describeApiError } from '../api';
import { useHydrated } from './use-hydrated';

/** A failed submit, split into messages shown next to their fields and one for the whole form. */
export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const noErrors: FormErrors = { fields: {}, form: null };

/** A check made in the page before asking the API (two passwords that differ): shown at `field`. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/**
 * The API names the field of a validation error in `error.details.field`; it is shown next to that
 * field when the form has it, otherwise above the form.
 */
export function formErrorsFrom(err: unknown, fieldsInForm: readonly string[]): FormErrors {
  if (err instanceof FieldError && fieldsInForm.includes(err.field))
    return { fields: { [err.field]: err.message }, form: null };
  const message = describeApiError(err);
  if (err instanceof ApiError) {
    const field = typeof err.details?.field === 'string' ? err.details.field : undefined;
    if (field && fieldsInForm.includes(field)) return { fields: { [field]: message }, form: null };
  }
  return { fields: {}, form: message };
}

export interface FormSubmit {
  errors: FormErrors;
  /** A submit is running, or the page is not hydrated yet: disable the submit button. */
  pending: boolean;
  /** A submit is running ("Saving…"). */
  busy: boolean;
  /** React has hydrated the page (`data-hydrated` on the form, which browser tests wait for). */
  hydrated: boolean;
  /** What the last successful submit said (null: nothing to say). */
  done: string | null;
  /** Runs `action`; what it returns is `done`, what it throws becomes `errors`. */
  run(action: () => Promise<string | null | void>): Promise<void>;
  /** `onSubmit` of a `<form>`: no native submit, then `run` with the form's fields. */
  onSubmit(
    action: (form: FormData, element: HTMLFormElement) => Promise<string | null | void>,
  ): (e: FormEvent<HTMLFormElement>) => void;
}

/**
 * `fields`: the names of the form's fields (errors for others go above the form).
 * `staysPending`: a successful submit leaves the page (sign-in): the button stays disabled.
 */
export function useFormSubmit(fields: readonly string[], options: { staysPending?: boolean } = {}): FormSubmit {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const hydrated = useHydrated();
  const { staysPending = false } = options;
  const key = fields.join('\n');

  const run = useCallback(
    async (action: () => Promise<string | null | void>) => {
      setBusy(true);
      setErrors(noErrors);
      setDone(null);
      try {
        setDone((await action()) ?? null);
        if (!staysPending) setBusy(false);
      } catch (err) {
        setErrors(formErrorsFrom(err, key.split('\n')));
        setBusy(false);
      }
    },
    [key, staysPending],
  );

  const onSubmit = useCallback(
    (action: (form: FormData, element: HTMLFormElement) => Promise<string | null | void>) =>
      (e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const element = e.currentTarget;
        const form = new FormData(element);
        void run(() => action(form, element));
      },
    [run],
  );

  return { errors, pending: busy || !hydrated, busy, hydrated, done, run, onSubmit };
}
