// Where a collection form shows a server problem: under its field, or at the form's foot when no field shows it.
import { describe, expect, it } from 'vitest'
import { formErrors } from '../../../components/collections/form-errors'
import { ApiError } from '../../../lib/client/api'

const fail = (fields?: Record<string, string>) => new ApiError(400, 'VALIDATION_ERROR', 'Invalid input', fields)
const KNOWN = ['key', 'text', 'metadata', 'files', 'filter'] as const
const STRIP = /^documents(\.0\.|\[0\]\.)/

describe('formErrors', () => {
  it.each([
    ['a field of the form', { key: 'key is required' }, { key: 'key is required' }, null],
    ['a schema path into the first document', { 'documents.0.text': 'text is required' }, { text: 'text is required' }, null],
    ["the store's path into the first document", { 'documents[0].metadata.year': 'number, not string' }, { metadata: 'metadata.year: number, not string' }, null],
    ['a filter field', { 'filter.year.gt': 'must be a number' }, { filter: 'filter.year.gt: must be a number' }, null],
    ['a field the form does not have', { collection: 'No collection named "x"' }, {}, 'Invalid input (collection: No collection named "x")'],
    ['a later uploaded file', { 'documents[1].file': 'scanned' }, {}, 'Invalid input (documents[1].file: scanned)'],
  ])('%s', (_, fields, placed, other) => {
    expect(formErrors(fail(fields), KNOWN, STRIP)).toEqual({ fields: placed, other })
  })

  it('puts an error without fields, or not from the API, at the foot', () => {
    expect(formErrors(new ApiError(502, 'AI_EMBEDDING_DIMENSION', 'embedder returned 768 dimensions, the caller expects 256'), KNOWN)).toEqual({ fields: {}, other: 'embedder returned 768 dimensions, the caller expects 256' })
    expect(formErrors(new Error('offline'), KNOWN)).toEqual({ fields: {}, other: 'offline' })
  })
})
