// The exported template file (`*.template.auterity.json`): one version's content and its changelog. It is read
// like a workflow file (lib/services/workflow-file.ts: size limit, prototype keys, format and version named when
// wrong, schema errors naming the path, the name cleaned of control characters) and then checked as a publish
// checks content, so an imported template is as sound as a published one. Credentials are slots (kinds) already:
// a template never holds an id or a secret. docs/templates.md, "Template files".
import { z } from 'zod'
import { ValidationError } from '../errors'
import { cleanName, exportFileName, MAX_WORKFLOW_FILE_BYTES, parseExportFile } from '../services/workflow-file'
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

/**
 * The file checked in the order a person would fix it: readable JSON, no prototype keys, the right format and
 * version, the schema (parseExportFile, as a workflow file), then the content as publishing checks it (errors under
 * `template.`). Every failure is a 400 naming the field (413 for a file over the size limit).
 */
export function parseTemplateFile(input: unknown): TemplateFile & { nodeTypes: string[] } {
  const file = parseExportFile(
    input,
    { format: TEMPLATE_FILE_FORMAT, formatVersion: TEMPLATE_FILE_VERSION, maxBytes: MAX_WORKFLOW_FILE_BYTES, what: 'an exported Auterity template' },
    templateFileSchema,
  )
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
