import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const removeDuplicatesParams = z.object({
  compare: labelledEnum({ allFields: 'All fields', selectedFields: 'Selected fields' })
    .default('allFields')
    .describe('allFields: items equal in every field are duplicates. selectedFields: items equal in the fields below are'),
  fields: z.array(z.string().trim().min(1, 'Name the field')).max(20).default([]).describe('compare selectedFields: the fields that make an item unique, e.g. "email"'),
  history: labelledEnum({ run: 'Within this run', workflow: 'Across runs of this workflow' })
    .default('run')
    .describe('run: duplicates within this run. workflow: also items this node passed on in earlier runs (their keys are kept in the database)'),
  historySize: z.coerce.number().int().min(1).max(1_000_000).default(10_000).describe('history workflow: how many of the newest keys to remember'),
})
export type RemoveDuplicatesParams = z.infer<typeof removeDuplicatesParams>

/**
 * With history "workflow" the key hashes are claimed in PostgreSQL, one statement per page (see history.ts).
 */
export const removeDuplicatesNode: NodeType<RemoveDuplicatesParams, 'dedupeHistory'> = {
  type: 'remove-duplicates',
  version: 1,
  label: 'Remove duplicates',
  description: 'Keeps the first of each set of equal items (all fields, or the fields you choose) and drops the rest.',
  icon: 'CopyMinus',
  category: 'data',
  outputSample: { passesInput: true },
  docs: {
    description: [
      'Keeps the first item of each kind and drops the later duplicates, comparing all fields or only the selected ones. Values compare by type and content: 42 and "42" differ, object key order does not matter, missing equals null. With history "run" duplicates are found within this run; with history "workflow" also items this node passed on in earlier runs of the workflow. Works page by page: memory grows with the number of distinct items, not with their size.',
      '',
      'Across pages it remembers one key per distinct item (long keys as a fixed-size hash, roughly 100 bytes each).',
      '`selectedFields` needs at least one field (`INVALID_PARAM` otherwise).',
      '',
      'With `history: workflow` the SHA-256 of each key passed on is stored in PostgreSQL per workflow and node (no item',
      'data; one statement per page), and the newest `historySize` are kept. Two runs at once never both pass the same key.',
      'A retry or re-delivery of the same execution passes its items again (they may not have reached the next step);',
      'a *new* execution (a re-run from the failed step included) treats them as seen. "Test this step" in the designer',
      'cannot use the history (`DEDUPE_HISTORY_UNAVAILABLE`), so a test never marks real items as seen.',
      '',
      'Example: `{ "compare": "selectedFields", "fields": ["email"] }` on `{ "email": "a@x.io", "n": 1 }`,',
      '`{ "email": "b@x.io", "n": 2 }`, `{ "email": "a@x.io", "n": 3 }` keeps the first two; with `"history": "workflow"`, a',
      'later run given `a@x.io` and `c@x.io` passes only `c@x.io` on.',
    ].join('\n'),
    examples: [
      {
        title: 'One item per email',
        params: { compare: 'selectedFields', fields: ['email'], history: 'run' },
        input: [
          { email: 'a@x.io', n: 1 },
          { email: 'b@x.io', n: 2 },
          { email: 'a@x.io', n: 3 },
        ],
        output: { main: [{ email: 'a@x.io', n: 1 }, { email: 'b@x.io', n: 2 }] },
      },
      {
        title: 'Equal in every field',
        params: { compare: 'allFields' },
        input: [{ id: 42 }, { id: '42' }, { id: 42 }],
        output: { main: [{ id: 42 }, { id: '42' }] },
      },
    ],
  },
  params: removeDuplicatesParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['dedupeHistory'],
  mode: 'batch',
  load: () => import('./execute'),
}
