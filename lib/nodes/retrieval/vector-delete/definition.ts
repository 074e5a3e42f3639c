import { z } from 'zod'
import type { NodeType } from '../../define'
import { toText } from '../../params'
import { collectionParam, filterParam } from '../params'

/** Keys as a list, or as text (an expression's value) with one key per line or comma-separated. */
function keyList(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return []
  if (typeof value === 'string') return value.split(/[\n,]/).map((k) => k.trim()).filter(Boolean)
  if (Array.isArray(value)) return value.map((k) => (typeof k === 'string' ? k.trim() : toText(k)))
  return [toText(value)]
}

export const deleteParams = z
  .object({
    collection: collectionParam(),
    operation: z
      .union([
        z.literal('keys').meta({ title: 'Documents by key' }),
        z.literal('filter').meta({ title: 'Documents whose metadata match a filter' }),
        z.literal('all').meta({ title: 'Every document (the collection stays, empty)' }),
        z.literal('drop').meta({ title: 'Drop the collection (destructive: its documents and settings are gone)' }),
      ])
      .default('keys')
      .describe('What to delete. drop removes the collection itself, with its settings: ingesting into it again needs an embedding model to create it anew'),
    keys: z
      .preprocess(keyList, z.array(z.string().min(1, 'A key cannot be empty')).max(10_000, 'At most 10,000 keys per item'))
      .describe('operation keys: the document keys, a list or an expression such as {{ $json.key }} (text: one per line or comma-separated)')
      .meta({ ui: 'expression' }),
    filter: filterParam().describe('operation filter: documents whose metadata match, e.g. { "source": "wiki", "year": { "lt": 2020 } }'),
  })
  .superRefine((p, ctx) => {
    if (p.operation === 'keys' && !p.keys.length) ctx.addIssue({ code: 'custom', path: ['keys'], message: 'Give the keys of the documents to delete' })
    if (p.operation === 'filter' && (!p.filter || !Object.keys(p.filter).length)) {
      ctx.addIssue({ code: 'custom', path: ['filter'], message: 'Give a filter (an empty one would match every document: choose "Every document" for that)' })
    }
  })
export type DeleteParams = z.infer<typeof deleteParams>

export const vectorDelete: NodeType<DeleteParams, 'vectors'> = {
  type: 'vector-delete',
  version: 1,
  label: 'Delete Documents',
  description: 'Removes documents from a collection by key, by metadata filter or all of them, or drops the collection.',
  icon: 'Trash2',
  category: 'retrieval',
  docs: {
    description: [
      'Removes documents (and all their chunks) from the collection `collection`:',
      '',
      '| operation | deletes |',
      '|---|---|',
      '| `keys` | the documents with these keys (keys that are not there are skipped) |',
      '| `filter` | the documents whose metadata match `filter` (same form as Search Collection\'s) |',
      '| `all` | every document; the collection and its settings stay |',
      '| `drop` | **the collection itself**: documents, chunks and settings. It is gone from the collections page; ingesting into it again creates it anew (set the embedding model on Ingest Documents) |',
      '',
      'Items asking for the same thing are done once: the keys of all items for one collection go in one call. Output: one item per call, `{ collection, operation, keys?, filter?, documents, chunks }` (how many were deleted). A collection that does not exist fails the step with `VECTOR_COLLECTION_NOT_FOUND`.',
    ].join('\n'),
    examples: [
      {
        title: 'Delete the documents of removed files',
        params: { collection: 'handbook', operation: 'keys', keys: '{{ $json.fileName }}' },
        input: [{ fileName: 'old-policy.md' }, { fileName: 'draft.md' }],
        output: { main: [{ collection: 'handbook', operation: 'keys', keys: ['old-policy.md', 'draft.md'], documents: 2, chunks: 9 }] },
      },
    ],
  },
  params: deleteParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  sideEffects: true, // deletes from the store
  services: ['vectors'],
  load: () => import('./execute'),
}
