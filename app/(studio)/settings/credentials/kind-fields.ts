// Form fields of a credential kind, read from its zod schema in lib/nodes/credential-kinds.ts (one source of truth).
import type { z } from 'zod'
import { credentialKinds } from '@/lib/nodes/credential-kinds'

export type KindName = keyof typeof credentialKinds

export interface KindField {
  key: string
  label: string
  secret: boolean
  required: boolean
  multiline: boolean
  defaultValue?: string
}

const humanize = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())

export function kindFields(kind: KindName): KindField[] {
  const shape = credentialKinds[kind].schema.shape as Record<string, z.ZodType>
  return Object.entries(shape).map(([key, field]) => {
    const meta = (field.meta() ?? {}) as { label?: string; secret?: boolean; ui?: string }
    const empty = field.safeParse(undefined)
    return {
      key,
      label: meta.label ?? humanize(key),
      secret: meta.secret === true,
      required: !empty.success,
      multiline: meta.ui === 'json' || meta.ui === 'textarea',
      defaultValue: empty.success && typeof empty.data === 'string' ? empty.data : undefined,
    }
  })
}

export const KIND_OPTIONS = (Object.keys(credentialKinds) as KindName[]).map((k) => ({ value: k, label: credentialKinds[k].label }))

export function kindLabel(kind: string): string {
  return kind in credentialKinds ? credentialKinds[kind as KindName].label : kind
}
