import { z } from 'zod'
import type { NodeType } from '../../define'
import { text } from '../../params'
import { collectionParam, embeddingModelParam, metadataParam, optionalNumber } from '../params'

export const TEXT_TYPES = { plain: 'text/plain', markdown: 'text/markdown', html: 'text/html' } as const

export const ingestParams = z
  .object({
    collection: collectionParam(),
    source: z
      .union([z.literal('text').meta({ title: 'Text from the item' }), z.literal('file').meta({ title: 'A file in the item' })])
      .default('text')
      .describe('text: the document is the text you give (an expression); file: the file (or list of files) an item field holds'),
    text: text().default('').describe('source text: the document\'s text, e.g. {{ $json.body }}').meta({ ui: 'textarea' }),
    textType: z
      .union([z.literal('plain').meta({ title: 'Plain text' }), z.literal('markdown').meta({ title: 'Markdown' }), z.literal('html').meta({ title: 'HTML' })])
      .default('plain')
      .describe('source text: how the text is written, so that its markup is read as markup and not as words'),
    fileField: z
      .string()
      .trim()
      .min(1, 'Name the field holding the file')
      .default('file')
      .describe('source file: field of the item holding the file or a list of files (text, Markdown, HTML or PDF), e.g. "file" or "body.files"'),
    key: text()
      .default('')
      .describe('The document\'s id in the collection: ingesting a key again replaces that document. Empty: the file\'s name, or the item\'s "id" field')
      .meta({ ui: 'expression' }),
    title: text().default('').describe('Shown with search hits and citations. Empty: the file\'s name, or the key').meta({ ui: 'expression' }),
    metadata: metadataParam(),
    metadataFields: z
      .array(z.string().trim().min(1))
      .max(50)
      .default([])
      .describe('Item fields copied into the metadata under their last name ("author.name" is stored as "name"), so that filters can test them'),
    embeddingModel: embeddingModelParam(
      'Only when the collection does not exist yet: the embedding deployment or route it is created with. Empty: a missing collection fails the step',
    ),
    dimensions: optionalNumber(z.coerce.number().int().min(8).max(8192).optional()).describe('Only when creating: the vector length to ask the model for (models that can shorten); empty: the model\'s own'),
    chunkSize: z.coerce.number().int().min(32, 'At least 32 tokens').max(8192, 'At most 8192 tokens').default(400).describe('Only when creating: tokens per chunk'),
    chunkOverlap: optionalNumber(z.coerce.number().int().min(0).max(4096).optional()).describe('Only when creating: tokens shared by neighbouring chunks, at most half of chunkSize; empty: 60 (less for small chunks)'),
  })
  .superRefine((p, ctx) => {
    const most = Math.floor(p.chunkSize / 2)
    if (p.chunkOverlap !== undefined && p.chunkOverlap > most) ctx.addIssue({ code: 'custom', path: ['chunkOverlap'], message: `At most half the chunk size (${most})` })
  })
export type IngestParams = z.infer<typeof ingestParams>

const handbook = { $file: 'f_exampleHandbookMd0000', name: 'handbook.md', mimeType: 'text/markdown', size: 2048 }

export const vectorIngest: NodeType<IngestParams, 'vectors' | 'files'> = {
  type: 'vector-ingest',
  version: 1,
  label: 'Ingest Documents',
  description: 'Adds documents (text, Markdown, HTML or PDF files) to a collection: split into chunks, embedded, searchable.',
  icon: 'FileUp',
  category: 'retrieval',
  docs: {
    description: [
      'Adds each input item\'s document to the collection `collection`: text you give (`source` text, written as plain text, Markdown or HTML) or the file an item field holds (`source` file: text, Markdown, HTML or PDF; a field holding a list of files adds each). Documents are split into chunks of about `chunkSize` tokens, embedded with the collection\'s embedding model and written to the vector store; Search Collection and Answer with Sources find them.',
      '',
      '**Keys.** Every document has a `key`, its id in the collection: the file\'s name, the item\'s `id`, or what you set. Ingesting a key again replaces that document (`replaced`); when its text, the chunking and the model are the same it is left alone and nothing is embedded (`unchanged`). With `source` file and a field holding several files, each file\'s key is its name, or `<key>/<name>` when `key` is set (and its title `<title> (<name>)` when `title` is). Two documents of one step may not share a key (`DUPLICATE_KEY`).',
      '',
      '**Metadata** (`metadata`, plus the item fields named in `metadataFields`; `metadata` wins where both name a field) is stored with the document. Its top-level text, number and boolean values whose names are letters, digits and `_` (starting with a letter) can be filtered on by searches; a field keeps the type it was first stored with (`VECTOR_FIELD_TYPE` otherwise).',
      '',
      '**Creating the collection.** A collection that does not exist yet is created with `embeddingModel`, `chunkSize`, `chunkOverlap` (and `dimensions`) when `embeddingModel` is set; these settings are ignored once it exists. Without it a missing collection fails the step (`VECTOR_COLLECTION_NOT_FOUND`).',
      '',
      'All items of a step go to the store in one call per collection. Files are read through the run\'s file store; a file larger than the store\'s document limit (`AUTERITY_VECTOR_MAX_DOCUMENT_MB`, 50 MB by default) is refused before it is read.',
      '',
      'Output: one item per document, `{ collection, key, documentId, title, status, chunks, tokens, costUsd }` (`status`: `added`, `replaced` or `unchanged`; `costUsd`: the embedding cost, "0" when unchanged).',
    ].join('\n'),
    examples: [
      {
        title: 'Ingest an uploaded Markdown file',
        params: { collection: 'handbook', source: 'file', fileField: 'file', embeddingModel: 'embeddings', metadataFields: ['team'] },
        input: [{ team: 'hr', file: handbook }],
        output: { main: [{ collection: 'handbook', key: 'handbook.md', documentId: 'cm9x1k2…', title: 'handbook.md', status: 'added', chunks: 4, tokens: 1410, costUsd: '0.0000282' }] },
      },
      {
        title: 'Ingest records as text',
        params: { collection: 'faq', source: 'text', text: '{{ $json.answer }}', key: 'faq-{{ $json.id }}', title: '{{ $json.question }}', metadata: { lang: '{{ $json.lang }}' } },
        input: [{ id: 7, question: 'How do I reset my password?', answer: 'Open Settings → Security and choose "Reset password".', lang: 'en' }],
        output: { main: [{ collection: 'faq', key: 'faq-7', documentId: 'cm9x1k3…', title: 'How do I reset my password?', status: 'added', chunks: 1, tokens: 14, costUsd: '0.00000028' }] },
      },
    ],
  },
  params: ingestParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  sideEffects: true, // writes the collection and spends embedding tokens
  services: ['vectors', 'files'],
  load: () => import('./execute'),
}
