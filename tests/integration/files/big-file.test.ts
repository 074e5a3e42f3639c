// A file far bigger than what a worker could hold passes through a workflow (HTTP download into the file store, HTTP
// upload out of it) with the process's memory growing by a fraction of it. The bench (bench/files.ts) runs 1 GiB through
// a real worker process; this keeps the property under test at half that size.
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createSafeHttpClient, type SafeHttpClient } from '@/lib/net/ssrf'
import { memoryFiles } from '../../helpers/files'
import { runFlow } from '../../unit/nodes/flow'

const MiB = 1024 * 1024
const SIZE = 512
const block = (i: number) => Buffer.alloc(MiB, (i * 37) % 256)
let source: Server
let sink: Server
let origin: { source: string; sink: string }
let http: SafeHttpClient
let received: { bytes: number; sha: string } | undefined

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `127.0.0.1:${(s.address() as AddressInfo).port}`
}

beforeAll(async () => {
  source = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    let i = 0
    const pump = () => {
      while (i < SIZE) if (!res.write(block(i++))) return void res.once('drain', pump)
      res.end()
    }
    pump()
  })
  sink = createServer((req, res) => {
    const hash = createHash('sha256')
    let bytes = 0
    req.on('data', (c: Buffer) => {
      bytes += c.length
      hash.update(c)
    })
    req.on('end', () => {
      received = { bytes, sha: hash.digest('hex') }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(received))
    })
  })
  origin = { source: await listen(source), sink: await listen(sink) }
  http = createSafeHttpClient({ allowList: [origin.source, origin.sink] })
})
afterAll(async () => {
  await http.close()
  source.close()
  sink.close()
})

it(`streams a ${SIZE} MiB file from a download through the file store to an upload, memory growing by a fraction of it`, async () => {
  const files = memoryFiles()
  try {
    global.gc?.()
    const before = process.memoryUsage().rss
    let peak = before
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const flow = await runFlow(
      [
        { id: 'download', type: 'http-request', params: { url: `http://${origin.source}/big.bin`, timeoutMs: 120_000 } },
        { id: 'upload', type: 'http-request', params: { method: 'PUT', url: `http://${origin.sink}/in`, bodyType: 'file', timeoutMs: 120_000 } },
      ],
      [{}],
      { services: { http, files } },
    )
    clearInterval(timer)
    expect(flow.result.status).toBe('succeeded')
    const expected = createHash('sha256')
    for (let i = 0; i < SIZE; i++) expected.update(block(i))
    expect(received).toEqual({ bytes: SIZE * MiB, sha: expected.digest('hex') })
    expect((await flow.output('download'))[0]!.file).toMatchObject({ size: SIZE * MiB })
    // Holding the file whole would add at least its size; streaming adds buffers and the code it loads.
    expect((peak - before) / MiB).toBeLessThan(SIZE / 2)
  } finally {
    await fs.rm(files.root, { recursive: true, force: true })
  }
}, 180_000)
