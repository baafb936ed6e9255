export { formErrorsFrom, noErrors, type FormErrors } from '@/lib/hooks/use-form-submit';
