// Two HTTP servers on 127.0.0.1 for big-file runs: `source` serves `mib` MiB made block by block (never held whole),
// `sink` takes an upload and remembers its size and SHA-256. The test and the bench check the bytes with `expectedSha`.
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

const MiB = 1024 * 1024
const block = (i: number) => Buffer.alloc(MiB, (i * 37) % 256)

export interface FileServers {
  /** host:port of each, for an allow-list. */
  source: string
  sink: string
  received(): { bytes: number; sha: string } | undefined
  expectedSha(): string
  close(): void
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `127.0.0.1:${(server.address() as AddressInfo).port}`
}

export async function startFileServers(mib: number): Promise<FileServers> {
  const source = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(mib * MiB) })
    let i = 0
    const pump = () => {
      while (i < mib) if (!res.write(block(i++))) return void res.once('drain', pump)
      res.end()
    }
    pump()
  })
  let received: { bytes: number; sha: string } | undefined
  const sink = createServer((req, res) => {
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
  return {
    source: await listen(source),
    sink: await listen(sink),
    received: () => received,
    expectedSha() {
      const hash = createHash('sha256')
      for (let i = 0; i < mib; i++) hash.update(block(i))
      return hash.digest('hex')
    },
    close() {
      source.close()
      sink.close()
    },
  }
}
