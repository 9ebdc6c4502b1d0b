import { useCallback, useState } from 'react';
import { isApiError, type ApiError } from '../api/errors.ts';

export interface ApiForm {
  submitting: boolean;
  /** Server errors by field path (`code`, `admin.password`), shown next to the input of the same name. */
  fieldErrors: Record<string, ApiError>;
  /** An error that belongs to no visible field. */
  formError: ApiError | null;
  submit: (action: () => Promise<void>) => Promise<void>;
  clearField: (field: string) => void;
  setFieldError: (field: string, error: ApiError) => void;
}

/** Runs a form's request and sorts a failure to the field it names, or to the form when it names none we show. */
export function useApiForm(knownFields: readonly string[]): ApiForm {
  const [submitting, setSubmitting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, ApiError>>({});
  const [formError, setFormError] = useState<ApiError | null>(null);

  const submit = useCallback(
    async (action: () => Promise<void>) => {
      setSubmitting(true);
      setFieldErrors({});
      setFormError(null);
      try {
        await action();
      } catch (error) {
        if (!isApiError(error)) throw error;
        if (error.field && knownFields.includes(error.field)) setFieldErrors({ [error.field]: error });
        else setFormError(error);
      } finally {
        setSubmitting(false);
      }
    },
    [knownFields],
  );

  const clearField = useCallback((field: string) => {
    setFieldErrors((current) => {
      if (!(field in current)) return current;
      const { [field]: _removed, ...rest } = current;
      return rest;
    });
  }, []);

  const setFieldError = useCallback((field: string, error: ApiError) => {
    setFieldErrors((current) => ({ ...current, [field]: error }));
  }, []);

  return { submitting, fieldErrors, formError, submit, clearField, setFieldError };
}
