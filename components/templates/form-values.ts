// The "Use template" form's values: what each parameter's control starts with, and the parameter values sent to the
// API, checked here with the same rules the server applies (lib/templates/params.ts) so mistakes show as the person
// types, one message per field, before anything is sent.
import { ApiError } from '@/lib/client/api'
import { ValidationError } from '@/lib/errors'
import { checkParamValues } from '@/lib/templates/params'
import type { TemplateParameter } from '@/lib/templates/types'

/** Text for inputs, selects and JSON; true/false for checkboxes. */
export type FormValue = string | boolean
export type FormValues = Record<string, FormValue>

export function initialValues(parameters: readonly TemplateParameter[]): FormValues {
  const out: FormValues = {}
  for (const p of parameters) {
    const d = p.default
    if (p.type === 'boolean') out[p.name] = d === true || d === 'true'
    else if (p.type === 'json') out[p.name] = d === undefined ? '' : JSON.stringify(d, null, 2)
    else out[p.name] = d === undefined || d === null ? '' : String(d)
  }
  return out
}

/** The values as the API takes them, or the problems by parameter name (`params.<name>` → message). */
export function paramsFromForm(parameters: readonly TemplateParameter[], values: FormValues): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const p of parameters) {
    const raw = values[p.name]
    try {
      params[p.name] = checkParamValues([p], raw === undefined ? {} : { [p.name]: raw })[p.name]
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const [field, message] = Object.entries(err.fields ?? {})[0] ?? [`params.${p.name}`, err.message]
      errors[field] = message
    }
  }
  return { params, errors }
}

/**
 * A 400's field problems sorted to where the form shows them: `params.<name>` and `credentials.<ref>` (and paths
 * under them) beside their control, `name` beside the name, the rest above the buttons.
 */
export function placeErrors(err: unknown): { fields: Record<string, string>; form: string | null } {
  if (!(err instanceof ApiError) || !err.fields || Object.keys(err.fields).length === 0) {
    return { fields: {}, form: err instanceof Error ? err.message : String(err) }
  }
  const fields: Record<string, string> = {}
  const rest: string[] = []
  for (const [path, message] of Object.entries(err.fields)) {
    const m = /^(params|credentials)\.([^.]+)/.exec(path)
    if (m) fields[`${m[1]}.${m[2]}`] = path === `${m[1]}.${m[2]}` ? message : `${path.slice(m[0].length + 1)}: ${message}`
    else if (path === 'name') fields.name = message
    else rest.push(`${path}: ${message}`)
  }
  return { fields, form: rest.length ? `${err.message}${rest.some((r) => err.message.includes(r)) ? '' : ` (${rest.join('; ')})`}` : null }
}

/** The slot a `{ $credentialRef }` param stands for (lib/services/workflow-file.ts's shape; that module is server-only). */
export function credentialRefOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const ref = (value as Record<string, unknown>).$credentialRef
  return typeof ref === 'string' ? ref : null
}
