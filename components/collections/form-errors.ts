// An API error as a form shows it: problems of the form's own fields under those fields (a field path such as
// `documents.0.text` or `filter.year` belongs to the form field it starts with, after `strip`), everything else as
// one message at the form's foot. Inside a modal dialog a toast would sit behind it, unseen.
import { ApiError, errorMessage } from '@/lib/client/api'

export interface FormErrors {
  fields: Record<string, string>
  /** What no field of the form shows. */
  other: string | null
}

export function formErrors(err: unknown, known: readonly string[], strip?: RegExp): FormErrors {
  if (!(err instanceof ApiError) || !err.fields) return { fields: {}, other: errorMessage(err) }
  const fields: Record<string, string> = {}
  let unplaced = false
  for (const [path, message] of Object.entries(err.fields)) {
    const name = strip ? path.replace(strip, '') : path
    const head = name.split(/[.[]/)[0]
    if (!known.includes(head)) unplaced = true
    else fields[head] ??= name === head ? message : `${name}: ${message}`
  }
  return { fields, other: unplaced ? errorMessage(err) : null }
}
