// The HTTP node with files: binary answers become files in the store (streamed, any size up to the store's cap),
// files go out as a body or as multipart parts, and a file of another workspace is never sent.
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Busboy from 'busboy'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSafeHttpClient, type SafeHttpClient } from '@/lib/net/ssrf'
import type { FileRef } from '@/lib/files/ref'
import { memoryFilesPerTest } from '../../../tests/helpers/files-per-test'
import { runFlow } from '../../../tests/unit/nodes/flow'

const MiB = 1024 * 1024
/** Stores whose folders are removed after each test (the 64 MiB download must not stay in the temp folder). */
const memoryFiles = memoryFilesPerTest()
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)])

let server: Server
let origin: string
let http: SafeHttpClient

/** Answers uploads with what arrived: the body's size and hash, or each multipart field and file. */
function handler(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x')
  const json = (value: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(value))
  }
  if (url.pathname === '/logo.png') {
    res.writeHead(200, { 'content-type': 'image/png' })
    return void res.end(png)
  }
  if (url.pathname === '/report') {
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="r.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf` })
    return void res.end('%PDF-1.4 fake')
  }
  if (url.pathname === '/big') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    let left = Number(url.searchParams.get('mib'))
    const pump = () => {
      while (left > 0) {
        left--
        if (!res.write(Buffer.alloc(MiB, left % 251))) return void res.once('drain', pump)
      }
      res.end()
    }
    return pump()
  }
  if (url.pathname === '/broken') {
    res.writeHead(503, { 'content-type': 'application/octet-stream' })
    return void res.end('upstream down')
  }
  if (url.pathname === '/multipart') {
    const seen: Record<string, unknown> = {}
    const bb = Busboy({ headers: req.headers })
    bb.on('field', (name, value) => (seen[name] = value))
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => (seen[name] = { filename: info.filename, mimeType: info.mimeType, sha: sha(Buffer.concat(chunks)) }))
    })
    bb.on('close', () => json(seen))
    return void req.pipe(bb)
  }
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    json({ size: body.length, sha: sha(body), contentType: req.headers['content-type'], contentLength: req.headers['content-length'] })
  })
}

beforeAll(async () => {
  server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  http = createSafeHttpClient({ allowList: [new URL(origin).host], maxResponseBytes: 1024 })
})
afterAll(async () => {
  await http.close()
  await new Promise((r) => server.close(r))
})

async function get(params: Record<string, unknown>, files = memoryFiles()) {
  const flow = await runFlow([{ id: 'http', type: 'http-request', params }], [{}], { http, services: { files } })
  return { flow, files, items: await flow.output('http') }
}

describe('http-request with files', () => {
  it('keeps a binary answer as a file (auto): its bytes, type and the name from the URL', async () => {
    const { flow, files, items } = await get({ url: `${origin}/logo.png` })
    expect(flow.result.status).toBe('succeeded')
    const ref = items[0]!.file as FileRef
    expect(ref).toMatchObject({ name: 'logo.png', mimeType: 'image/png', size: png.length, sha256: sha(png) })
    expect(items[0]).not.toHaveProperty('body')
    const { bytes } = await files.forRun({ tenantId: 't-1', executionId: 'x' }).readBytes(ref, { field: 'file', maxBytes: 10_000 })
    expect(bytes.equals(png)).toBe(true)
  })

  it('names a download from Content-Disposition (filename* first)', async () => {
    const { items } = await get({ url: `${origin}/report` })
    expect(items[0]!.file).toMatchObject({ name: 'résumé.pdf', mimeType: 'application/pdf' })
  })

  it('keeps any answer as a file with responseFormat file, and still parses JSON with auto', async () => {
    const asFile = await get({ url: `${origin}/echo`, responseFormat: 'file' })
    expect(asFile.items[0]!.file).toMatchObject({ mimeType: 'application/json' })
    const parsed = await get({ url: `${origin}/echo` })
    expect(parsed.items[0]!.body).toMatchObject({ size: 0 })
  })

  it('streams a 64 MiB download far past the JSON cap into the store, and refuses one past the store cap', async () => {
    const { items } = await get({ url: `${origin}/big?mib=64` })
    expect((items[0]!.file as FileRef).size).toBe(64 * MiB)
    const small = memoryFiles({ maxFileBytes: 5 * MiB })
    const capped = await runFlow([{ id: 'http', type: 'http-request', params: { url: `${origin}/big?mib=8` } }], [{}], { http, services: { files: small } })
    expect(capped.result.status).toBe('failed')
    // The client counts the bytes against the store's cap as they arrive and stops the download there.
    expect(capped.result.error).toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE', details: { limitBytes: 5 * MiB } })
    expect(small.index.records.size).toBe(0)
  })

  it('quotes an error answer with a binary body in the step error', async () => {
    const { flow } = await get({ url: `${origin}/broken` })
    expect(flow.result.error).toMatchObject({ code: 'HTTP_STATUS', retryable: true, message: expect.stringContaining('upstream down') })
  })

  it('downloads a file and uploads it again: as the body, and as a multipart part next to form fields', async () => {
    const files = memoryFiles()
    const flow = await runFlow(
      [
        { id: 'download', type: 'http-request', params: { url: `${origin}/logo.png` } },
        { id: 'upload', type: 'http-request', params: { method: 'PUT', url: `${origin}/upload`, bodyType: 'file' } },
        { id: 'form', type: 'http-request', params: { method: 'POST', url: `${origin}/multipart`, bodyType: 'multipart', formBody: [{ name: 'title', value: 'Logo' }], fileParts: [{ name: 'attachment', field: 'file' }] } },
      ],
      [{}],
      { http, services: { files }, edges: [['start', 'download'], ['download', 'upload'], ['download', 'form']] },
    )
    expect(flow.result.status).toBe('succeeded')
    expect((await flow.output('upload'))[0]!.body).toEqual({ size: png.length, sha: sha(png), contentType: 'image/png', contentLength: String(png.length) })
    expect((await flow.output('form'))[0]!.body).toEqual({ title: 'Logo', attachment: { filename: 'logo.png', mimeType: 'image/png', sha: sha(png) } })
  })

  it("refuses to send another workspace's file, naming the field", async () => {
    const files = memoryFiles()
    const theirs = await files.forRun({ tenantId: 'other-tenant', executionId: 'e' }).write({ name: 'secret.txt', data: 'not yours' })
    const flow = await runFlow([{ id: 'up', type: 'http-request', params: { method: 'POST', url: `${origin}/upload`, bodyType: 'file' } }], [{ file: theirs }], { http, services: { files } })
    expect(flow.result.error).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'file' })
    const none = await runFlow([{ id: 'up', type: 'http-request', params: { method: 'POST', url: `${origin}/upload`, bodyType: 'file' } }], [{ file: 'just text' }], { http, services: { files } })
    expect(none.result.error).toMatchObject({ code: 'NOT_A_FILE', field: 'file' })
  })
})
