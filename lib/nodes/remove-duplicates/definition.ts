import { z } from 'zod'
import type { NodeType } from '../define'

export const removeDuplicatesParams = z.object({
  compare: z
    .enum(['allFields', 'selectedFields'])
    .default('allFields')
    .describe('allFields: items equal in every field are duplicates. selectedFields: items equal in the fields below are'),
  fields: z.array(z.string().trim().min(1, 'Name the field')).max(20).default([]).describe('compare selectedFields: the fields that make an item unique, e.g. "email"'),
  history: z
    .enum(['run', 'workflow'])
    .default('run')
    .describe('run: duplicates within this run. workflow: also items this node passed on in earlier runs (their keys are kept in the database)'),
  historySize: z.coerce.number().int().min(1).max(1_000_000).default(10_000).describe('history workflow: how many of the newest keys to remember'),
})
export type RemoveDuplicatesParams = z.infer<typeof removeDuplicatesParams>

/**
 * Keeps the first item of each kind and drops the later duplicates, within this run or, with history "workflow",
 * also those this node passed on in earlier runs (the newest `historySize` key hashes are kept in PostgreSQL; one
 * statement per page). Values compare by type and content (42 and "42" differ; object key order does not matter;
 * missing equals null). Works page by page, remembering one key per distinct item (a fixed-size hash for long
 * keys, ~100 bytes each), so memory grows with the number of distinct items, not with their size.
 *
 * Example: `{ "compare": "selectedFields", "fields": ["email"] }` on `{ "email": "a@x.io", "n": 1 }`,
 * `{ "email": "b@x.io", "n": 2 }`, `{ "email": "a@x.io", "n": 3 }` keeps the first two; with `"history": "workflow"`
 * a later run given `a@x.io` and `c@x.io` passes only `c@x.io` on.
 */
export const removeDuplicatesNode: NodeType<RemoveDuplicatesParams, 'dedupeHistory'> = {
  type: 'remove-duplicates',
  version: 1,
  label: 'Remove duplicates',
  description: 'Keeps the first of each set of equal items (all fields, or the fields you choose) and drops the rest.',
  icon: 'CopyMinus',
  category: 'data',
  params: removeDuplicatesParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['dedupeHistory'],
  mode: 'batch',
  load: () => import('./execute'),
}
