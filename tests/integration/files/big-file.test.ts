// A file far bigger than what a worker could hold passes through a workflow (HTTP download into the file store, HTTP
// upload out of it) with the process's memory growing by a fraction of it. The bench (bench/files.ts) runs 1 GiB through
// a real worker process; this keeps the property under test at half that size.
import fs from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createSafeHttpClient, type SafeHttpClient } from '@/lib/net/ssrf'
import { memoryFiles } from '../../helpers/files'
import { startFileServers, type FileServers } from '../../helpers/file-servers'
import { runFlow } from '../../unit/nodes/flow'

const MiB = 1024 * 1024
const SIZE = 512
let servers: FileServers
let http: SafeHttpClient

beforeAll(async () => {
  servers = await startFileServers(SIZE)
  http = createSafeHttpClient({ allowList: [servers.source, servers.sink] })
})
afterAll(async () => {
  await http.close()
  servers.close()
})

it(`streams a ${SIZE} MiB file from a download through the file store to an upload, memory growing by a fraction of it`, async () => {
  const files = memoryFiles()
  try {
    const before = process.memoryUsage().rss
    let peak = before
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const flow = await runFlow(
      [
        { id: 'download', type: 'http-request', params: { url: `http://${servers.source}/big.bin`, timeoutMs: 120_000 } },
        { id: 'upload', type: 'http-request', params: { method: 'PUT', url: `http://${servers.sink}/in`, bodyType: 'file', timeoutMs: 120_000 } },
      ],
      [{}],
      { http, services: { files } },
    )
    clearInterval(timer)
    expect(flow.result.status).toBe('succeeded')
    expect(servers.received()).toEqual({ bytes: SIZE * MiB, sha: servers.expectedSha() })
    expect((await flow.output('download'))[0]!.file).toMatchObject({ size: SIZE * MiB })
    // Holding the file whole would add at least its size; streaming adds buffers and the code it loads.
    expect((peak - before) / MiB).toBeLessThan(SIZE / 2)
  } finally {
    await fs.rm(files.root, { recursive: true, force: true })
  }
}, 180_000)
