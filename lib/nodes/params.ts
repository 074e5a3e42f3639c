// Parameter building blocks shared by node definitions. Browser-safe.
import { z } from 'zod'

/** Params are resolved from expressions before validation, so a "text" field may arrive as a number or object. */
export function toText(value: unknown): unknown {
  if (value === undefined || value === null) return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

export const text = () => z.preprocess(toText, z.string())

export const keyValueSchema = z.object({
  name: z.string().describe('Name'),
  value: z.preprocess((v) => toText(v) ?? '', z.string()).describe('Value'),
})
export type KeyValue = z.infer<typeof keyValueSchema>

/** An ordered list of name/value pairs (headers, query, form fields). Rows with an empty name are ignored. */
export const keyValueList = (description: string) => z.array(keyValueSchema).default([]).describe(description).meta({ ui: 'keyValue' })

export function kvToRecord(list: KeyValue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const { name, value } of list) if (name.trim()) out[name.trim()] = value
  return out
}

export const credentialParam = (description: string) => z.string().optional().describe(description).meta({ ui: 'credential' })

/**
 * An enum whose options carry the labels people read, values and labels declared once:
 * `labelledEnum({ runOnceForAllItems: 'Run once for all items', … })`. The inspector and the node reference show
 * the labels (lib/forms/schema.ts reads `optionLabels`); tests/unit/nodes/labels.test.ts requires one per option.
 */
export function labelledEnum<const L extends Record<string, string>>(labels: L) {
  const values = Object.keys(labels) as [keyof L & string, ...(keyof L & string)[]]
  return z.enum(values).meta({ optionLabels: labels })
}

/** How a broker node (RabbitMQ, NATS, MQTT) writes the message body. */
export const messageContentMode = () =>
  labelledEnum({ json: 'JSON', text: 'Text' }).default('json').describe('JSON: the message is the item (or contentField) as JSON. Text: the message is the text of contentField')
