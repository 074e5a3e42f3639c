// The exported template file (`*.template.auterity.json`): one version's content and its changelog. It is read
// like a workflow file (lib/services/workflow-file.ts: size limit, prototype keys, format and version named when
// wrong, schema errors naming the path, the name cleaned of control characters) and then checked as a publish
// checks content, so an imported template is as sound as a published one. Credentials are slots (kinds) already:
// a template never holds an id or a secret. docs/templates.md, "Template files".
import { z } from 'zod'
import { RESERVED_KEYS } from '../engine/safe-keys'
import { AppError, ValidationError } from '../errors'
import { parseJsonText } from '../http/body'
import { cleanName, exportFileName, findReservedKey, MAX_WORKFLOW_FILE_BYTES } from '../services/workflow-file'
import { checkTemplateContent } from './publish'
import { templateContentSchema, type TemplateContent } from './types'

export const TEMPLATE_FILE_FORMAT = 'auterity.template'
export const TEMPLATE_FILE_VERSION = 1

export const templateFileSchema = z.object({
  format: z.literal(TEMPLATE_FILE_FORMAT),
  formatVersion: z.literal(TEMPLATE_FILE_VERSION),
  exportedAt: z.string().max(100).optional(),
  /** The version number it had where it was exported (information only: an import numbers its own versions). */
  version: z.number().int().min(1).optional(),
  changelog: z.string().max(10_000).default(''),
  template: templateContentSchema,
})
export type TemplateFile = z.infer<typeof templateFileSchema>

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

export function templateFile(content: TemplateContent, meta: { version: number; changelog: string }): TemplateFile {
  return {
    format: TEMPLATE_FILE_FORMAT,
    formatVersion: TEMPLATE_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    version: meta.version,
    changelog: meta.changelog,
    template: content,
  }
}

/** `<slug>.template.auterity.json`. */
export function templateFileName(name: string): string {
  return exportFileName(name).replace(/\.auterity\.json$/, '.template.auterity.json')
}

/** A file given as text: the workflow file's size limit and the API's JSON checks (depth, NUL), errors naming `file`. */
function fromText(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_WORKFLOW_FILE_BYTES) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `file: larger than the limit of ${MAX_WORKFLOW_FILE_BYTES} bytes`, { fields: { file: 'too large' } })
  }
  if (!text.trim()) throw fail('file', 'is empty')
  try {
    return parseJsonText(text)
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    const [field, message] = Object.entries(err.fields ?? {})[0] ?? ['(body)', '']
    throw field === '(body)' ? fail('file', err.message.replace(/^Body /, '')) : fail(`file.${field}`, message)
  }
}

/**
 * The file checked in the order a person would fix it: readable JSON, no prototype keys, the right format and
 * version, the schema, then the content as publishing checks it (errors under `template.`). Every failure is a
 * 400 naming the field (413 for a file over the size limit).
 */
export function parseTemplateFile(input: unknown): TemplateFile & { nodeTypes: string[] } {
  const raw = typeof input === 'string' ? fromText(input) : input
  const reserved = findReservedKey(raw)
  if (reserved) throw fail(reserved, `reserved name "${reserved.split('.').pop()}" is not allowed (${[...RESERVED_KEYS].join(', ')})`)
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('file', 'must be a JSON object (an exported template)')
  const { format, formatVersion } = raw as Record<string, unknown>
  if (format !== TEMPLATE_FILE_FORMAT) {
    throw fail('format', `must be "${TEMPLATE_FILE_FORMAT}" (got ${JSON.stringify(format) ?? 'nothing'}): this is not an exported Auterity template`)
  }
  if (formatVersion !== TEMPLATE_FILE_VERSION) {
    const newer = typeof formatVersion === 'number' && formatVersion > TEMPLATE_FILE_VERSION
    throw fail('formatVersion', `must be ${TEMPLATE_FILE_VERSION} (got ${JSON.stringify(formatVersion) ?? 'nothing'})${newer ? ': the file comes from a newer release' : ''}`)
  }
  const parsed = templateFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.map(String).join('.')
    throw fail(field, issue.code === 'too_big' && field === 'template.graph.nodes' ? `more than ${issue.maximum} nodes` : issue.message)
  }
  const file = parsed.data
  const content = { ...file.template, name: cleanName(file.template.name, 'template.name') }
  try {
    const checked = checkTemplateContent(content)
    return { ...file, template: checked.content, nodeTypes: checked.nodeTypes }
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [`template.${k}`, v]))
    throw new ValidationError(`template.${err.message}`, fields, err.details)
  }
}
