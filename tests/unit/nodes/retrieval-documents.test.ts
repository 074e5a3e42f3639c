// What Ingest Documents makes of an item before the store sees it: the document's key, title, type and metadata,
// and for files a DocumentFile read through the run's files (the real file service, bytes in a temporary folder).
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { ingestParams } from '@/lib/nodes/retrieval/vector-ingest/definition'
import { fileDocuments, textDocument } from '@/lib/nodes/retrieval/vector-ingest/documents'
import { memoryFiles } from '../../helpers/files'
import { refusal } from '../vector/document-files'

const files = memoryFiles()
afterAll(() => fs.rmSync(files.root, { recursive: true, force: true }))
const run = files.forRun({ tenantId: 't-1', executionId: 'e-1' })
const params = (p: Record<string, unknown>) => ingestParams.parse({ collection: 'c', ...p })

describe('textDocument', () => {
  it('keys a document by the item\'s id, titles it by its key, and types it', () => {
    expect(textDocument({ id: 7 }, params({ text: '# Hi', textType: 'markdown' }), 0)).toEqual({ key: '7', title: '7', text: '# Hi', mimeType: 'text/markdown', metadata: undefined })
  })

  it('takes the key and title it is given, and metadata from fields (by their last name) and the metadata param', () => {
    const item = { id: 'x', lang: 'en', author: { name: 'Ann' }, team: 'ops' }
    const doc = textDocument(item, params({ text: 'body', key: 'faq-1', title: 'FAQ', metadataFields: ['lang', 'author.name', 'team', 'missing'], metadata: { team: 'hr', year: 2024 } }), 0)
    expect(doc).toMatchObject({ key: 'faq-1', title: 'FAQ', mimeType: 'text/plain', metadata: { lang: 'en', name: 'Ann', team: 'hr', year: 2024 } })
  })

  it.each([
    ['no text', { text: '  ' }, { id: 1 }, 'EMPTY_DOCUMENT', 'text'],
    ['no key and no id', { text: 'x' }, { name: 'n' }, 'INVALID_PARAM', 'key'],
    ['an id that is no text or number', { text: 'x' }, { id: { a: 1 } }, 'INVALID_PARAM', 'key'],
  ])('refuses %s, naming the field and the item', async (_what, p, item, code, field) => {
    expect(await refusal(Promise.resolve().then(() => textDocument(item, params(p), 3)))).toMatchObject({ code, field, details: { item: 3 } })
  })
})

describe('fileDocuments', () => {
  it('gives a document per file of the field, keyed by name, read only when the store asks and within its cap', async () => {
    const a = await run.write({ name: 'a.md', mimeType: 'text/markdown', data: '# A\n\nalpha' })
    const b = await run.write({ name: 'b.html', mimeType: 'text/html', data: '<p>beta</p>' })
    const [single] = await fileDocuments(run, { doc: a }, params({ source: 'file', fileField: 'doc' }), 0)
    expect(single).toMatchObject({ key: 'a.md', title: 'a.md', file: { name: 'a.md', mimeType: 'text/markdown', size: a.size } })
    expect((await single.file!.read(1024)).toString()).toBe('# A\n\nalpha')
    expect(await refusal(single.file!.read(4))).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'fileField', details: { item: 0 } })

    const several = await fileDocuments(run, { body: { files: [a, b] } }, params({ source: 'file', fileField: 'body.files', key: 'upload-1', title: 'Upload' }), 0)
    expect(several.map((d) => [d.key, d.title, d.file?.mimeType])).toEqual([['upload-1/a.md', 'Upload (a.md)', 'text/markdown'], ['upload-1/b.html', 'Upload (b.html)', 'text/html']])
  })

  it.each([
    ['a missing field', {}, 'NOT_A_FILE'],
    ['text', { file: 'hello' }, 'NOT_A_FILE'],
    ['a file of no store', { file: { $file: 'f_doesNotExist000000', name: 'x.md', mimeType: 'text/markdown', size: 1 } }, 'FILE_NOT_FOUND'],
  ])('refuses %s, naming fileField and the item', async (_what, item, code) => {
    expect(await refusal(fileDocuments(run, item, params({ source: 'file' }), 5))).toMatchObject({ code, field: 'fileField', details: { item: 5 } })
  })
})
