'use client'
// An API error as a form shows it: problems of the form's own fields under those fields (a field path such as
// `documents.0.text` or `filter.year` belongs to the form field it starts with, after `strip`), everything else as
// one message at the form's foot. Inside a modal dialog a toast would sit behind it, unseen.
import { useCallback, useState } from 'react'
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

const NONE: FormErrors = { fields: {}, other: null }

/** A form's submission: `run` marks it busy and spreads a failure over the fields; editing a field clears its error. */
export function useSubmit(known: readonly string[], strip?: RegExp) {
  const [errors, setErrors] = useState<FormErrors>(NONE)
  const [busy, setBusy] = useState(false)
  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setErrors(NONE)
    try {
      await action()
    } catch (err) {
      setErrors(formErrors(err, known, strip))
    } finally {
      setBusy(false)
    }
  }
  const clear = useCallback((field: string) => setErrors((e) => ({ ...e, fields: Object.fromEntries(Object.entries(e.fields).filter(([k]) => k !== field)) })), [])
  const reset = useCallback(() => setErrors(NONE), [])
  /** A problem found before sending (JSON that does not parse), under its field. */
  const refuse = (field: string, message: string) => setErrors({ fields: { [field]: message }, other: null })
  return { fields: errors.fields, other: errors.other, busy, run, clear, reset, refuse }
}

/** The message no field shows, at a form's or dialog's foot. */
export function FormProblem({ message, className }: { message: string | null; className?: string }) {
  if (!message) return null
  return (
    <p role="alert" className={`text-sm text-danger ${className ?? ''}`}>
      {message}
    </p>
  )
}
