// Streaming through the outbound client: file downloads bigger than the JSON cap, file uploads sent as they are read,
// and the guard's limits (decoded size, a redirect that would send a file twice).
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSafeHttpClient, type SafeHttpClient } from '@/lib/net/ssrf'
import { startLocalServer, type LocalServer } from './local-server'

const MiB = 1024 * 1024
let server: LocalServer
let client: SafeHttpClient

beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    if (req.url === '/file') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(MiB, i))
      return void res.end()
    }
    if (req.url === '/bomb') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' })
      return void res.end(gzipSync(Buffer.alloc(20 * MiB)))
    }
    if (req.url === '/moved') {
      res.writeHead(307, { location: '/upload' })
      return void res.end()
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ bytes: Buffer.byteLength(req.body, 'latin1'), sha: createHash('sha256').update(req.body, 'latin1').digest('hex') }))
  })
  client = createSafeHttpClient({ allowList: [server.hostPort], maxResponseBytes: 4096 })
})
afterAll(async () => {
  await client.close()
  await server.close()
})

async function consume(body: AsyncIterable<Uint8Array>): Promise<{ size: number; sha: string }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    hash.update(chunk)
  }
  return { size, sha: hash.digest('hex') }
}

describe('streaming HTTP', () => {
  it('streams a download past the whole-body cap when the caller allows it, and the whole-body request still refuses it', async () => {
    const res = await client.requestStream({ method: 'GET', url: `${server.origin}/file`, maxBytes: 16 * MiB })
    expect(res.status).toBe(200)
    const expected = createHash('sha256')
    for (let i = 0; i < 8; i++) expected.update(Buffer.alloc(MiB, i))
    expect(await consume(res.body)).toEqual({ size: 8 * MiB, sha: expected.digest('hex') })
    await expect(client.request({ method: 'GET', url: `${server.origin}/file` })).rejects.toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE' })
  })

  it('stops a compressed download at its decoded size limit', async () => {
    const res = await client.requestStream({ method: 'GET', url: `${server.origin}/bomb`, maxBytes: 2 * MiB })
    await expect(consume(res.body)).rejects.toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE', details: { limitBytes: 2 * MiB } })
  })

  it('sends a streamed body as it is read', async () => {
    async function* chunks() {
      for (let i = 0; i < 4; i++) yield Buffer.alloc(256 * 1024, 65 + i)
    }
    const res = await client.request({ method: 'POST', url: `${server.origin}/upload`, body: chunks(), headers: { 'content-type': 'application/octet-stream' } })
    const expected = createHash('sha256')
    for (let i = 0; i < 4; i++) expected.update(Buffer.alloc(256 * 1024, 65 + i))
    expect(JSON.parse(Buffer.from(res.body).toString())).toEqual({ bytes: MiB, sha: expected.digest('hex') })
  })

  it('fails a redirect that would send a streamed body again, naming the final URL', async () => {
    async function* once() {
      yield Buffer.from('file bytes')
    }
    const err = await client.request({ method: 'PUT', url: `${server.origin}/moved`, body: once() }).catch((e) => e)
    expect(err).toMatchObject({ code: 'HTTP_REDIRECT_WITH_FILE', field: 'url' })
    expect(err.message).toContain('/upload')
  })

  it('lets the caller stop reading: cancel() closes the response', async () => {
    const res = await client.requestStream({ method: 'GET', url: `${server.origin}/file`, maxBytes: 16 * MiB })
    res.cancel()
    const after = await client.request({ method: 'GET', url: `${server.origin}/ok` })
    expect(after.status).toBe(200)
  })
})
