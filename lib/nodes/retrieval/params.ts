// Params the retrieval nodes (and the Agent's retrieval tool) share: the collection, how to search, metadata
// filters. Browser-safe: the inspector builds its forms from these.
import { z } from 'zod'

/** The store's rule for collection names (lib/vector/collections.ts checks the same; a unit test holds them equal). */
export const COLLECTION_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]{0,99}$/u

export const collectionParam = () =>
  z
    .string()
    .trim()
    .min(1, 'Name the collection')
    .regex(COLLECTION_NAME, 'Use 1–100 letters, digits, spaces or _ . : - (starting with a letter or digit)')
    .describe('The collection in this workspace, e.g. "handbook" (the Collections page lists them)')
    .meta({ ui: 'collection' })

/** An embedding deployment or a route over embedding deployments: the model picker, limited to embedding models. */
export const embeddingModelParam = (description: string) =>
  z.string().trim().default('').describe(description).meta({ ui: 'aiModel', modelKind: 'embedding' })

export const searchModeParam = () =>
  z
    .union([
      z.literal('hybrid').meta({ title: 'Hybrid: meaning and keywords' }),
      z.literal('vector').meta({ title: 'Meaning (vector similarity)' }),
      z.literal('keyword').meta({ title: 'Keywords (full-text, BM25)' }),
    ])
    .default('hybrid')
    .describe('hybrid fuses both rankings (best in most cases); vector finds passages that mean the same in other words; keyword matches exact terms, names and codes')

const metaValue = z.union([z.string(), z.number(), z.boolean()])
const bound = z.union([z.number(), z.string()])

/** A SearchFilter (lib/vector/types.ts): fields ANDed, each equal to a value or matching a condition. */
export const searchFilterSchema = z.record(
  z.string().min(1, 'A filter names a metadata field'),
  z.union([
    metaValue,
    z.strictObject({ eq: metaValue.optional(), ne: metaValue.optional(), in: z.array(metaValue).optional(), gt: bound.optional(), gte: bound.optional(), lt: bound.optional(), lte: bound.optional() }),
  ]),
)

/** A JSON object param that may arrive as JSON text (typed in the form, or from an expression). */
function jsonObjectText(value: unknown, ctx: { addIssue(issue: { code: 'custom'; message: string; input: unknown }): void }): unknown {
  if (value === '' || value === null) return undefined
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'Write a JSON object, e.g. { "lang": "en" }', input: value })
    return value
  }
}

export const filterParam = () =>
  z
    .preprocess(jsonObjectText, searchFilterSchema.optional())
    .describe('Only documents whose metadata match, e.g. { "lang": "en", "year": { "gte": 2023 }, "team": { "in": ["hr", "ops"] } }; fields are ANDed')
    .meta({ ui: 'json' })

/** Metadata for an ingested document: any JSON object (nested values are kept, only top-level ones filter). */
export const metadataParam = () =>
  z
    .preprocess(jsonObjectText, z.record(z.string(), z.unknown()).optional())
    .describe('Metadata stored with the document, a JSON object or an expression, e.g. { "lang": "en", "team": "{{ $json.team }}" }')
    .meta({ ui: 'json' })

export const topKParam = (max: number, fallback: number) =>
  z.coerce.number().int().min(1, 'At least 1').max(max, `At most ${max}`).default(fallback).describe(`How many passages to return (1–${max})`).meta({ title: 'Results (top K)' })

/** An optional number that may arrive as text (a form, an expression); empty means unset, not 0. */
export const optionalNumber = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema)

export const minScoreParam = () =>
  optionalNumber(z.coerce.number().optional())
    .describe('Drop hits scoring below this. The scale is the mode\'s: vector cosine similarity (-1 to 1), keyword BM25 (0 and up), hybrid fused rank score (about 0.01–0.03)')

export const rerankModelParam = () =>
  z.string().trim().default('').describe('Re-rank the best candidates with this chat model (a deployment or route) before keeping topK; empty: no re-ranking').meta({ ui: 'aiModel', title: 'Re-rank model' })

/** The retrieval settings of Search Collection and Answer with Sources. */
export const retrievalParams = (maxTopK: number) => ({
  mode: searchModeParam(),
  topK: topKParam(maxTopK, 5),
  filter: filterParam(),
  minScore: minScoreParam(),
  rerankModel: rerankModelParam(),
})
