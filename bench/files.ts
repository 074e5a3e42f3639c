// A 1 GiB file through a real worker process (`workers/worker.ts`), as deployed with `npm start`'s defaults: HTTP
// Request downloads it from a server on 127.0.0.1 into the file store (.data/files under a temporary data directory),
// a second HTTP Request streams it to another local server as the request body. The worker's RSS is sampled every
// 100 ms: it must not grow by the file's size. The receiving server checks every byte arrived (SHA-256).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createExecutionQueue } from '../lib/queue'
import { redisConnection } from '../lib/redis'
import { benchStack, processEnv } from './queue'
import { memoryOf, startProcess, stopProcess, WORKER_READY } from './processes'
import type { BenchRow } from './types'
import { startFileServers } from '../tests/helpers/file-servers'

const SIZE_MIB = Number(process.env.FILES_BENCH_MIB ?? 1024)

export default async function bench(): Promise<BenchRow[]> {
  const stack = await benchStack('files')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-files-bench-'))
  const servers = await startFileServers(SIZE_MIB)
  const queue = createExecutionQueue({ connection: redisConnection(stack.redisUrl), prefix: stack.prefix })
  const env = processEnv(stack, { AUTERITY_DATA_DIR: dataDir, AUTERITY_HTTP_ALLOWLIST: `${servers.source},${servers.sink}` })
  const worker = await startProcess(['workers/worker.ts'], env, WORKER_READY)
  try {
    const nodes = [
      { id: 'trigger', type: 'manual-trigger', name: 'Trigger', params: {} },
      { id: 'download', type: 'http-request', name: 'Download', params: { url: `http://${servers.source}/big.bin`, timeoutMs: 300_000 } },
      { id: 'upload', type: 'http-request', name: 'Upload', params: { method: 'PUT', url: `http://${servers.sink}/in`, bodyType: 'file', timeoutMs: 300_000 } },
    ]
    const graph = { nodes, edges: [{ source: 'trigger', target: 'download' }, { source: 'download', target: 'upload' }], notes: [] }
    const wf = await stack.prisma.workflow.create({ data: { tenantId: stack.tenantId, name: 'Big file' } })
    const version = await stack.prisma.workflowVersion.create({ data: { tenantId: stack.tenantId, workflowId: wf.id, number: 1, graph } })
    const execution = await stack.prisma.execution.create({
      data: { tenantId: stack.tenantId, workflowId: wf.id, versionId: version.id, versionNumber: 1, mode: 'manual', input: [{}], status: 'queued' },
    })
    const before = memoryOf(worker.pid!)
    const t0 = performance.now()
    await queue.enqueue(execution.id)
    let peak = before.rssMiB
    for (;;) {
      peak = Math.max(peak, memoryOf(worker.pid!).rssMiB)
      const { status, error } = await stack.prisma.execution.findUniqueOrThrow({ where: { id: execution.id }, select: { status: true, error: true } })
      if (status !== 'queued' && status !== 'running') {
        if (status !== 'succeeded') throw new Error(`the file run ended ${status}: ${JSON.stringify(error)}`)
        break
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    const seconds = (performance.now() - t0) / 1000
    const sha = servers.expectedSha()
    const received = servers.received()
    if (received?.bytes !== SIZE_MIB * 2 ** 20 || received.sha !== sha) throw new Error(`the sink received ${JSON.stringify(received)}, expected ${SIZE_MIB} MiB with sha ${sha}`)
    const label = `worker process (npm start defaults), a ${SIZE_MIB.toLocaleString('en-US')} MiB file downloaded into the file store and uploaded again`
    return [
      { name: `${label}: RSS before the run`, value: before.rssMiB, unit: 'MiB' },
      { name: `${label}: peak RSS during the run (sampled every 100 ms)`, value: peak, unit: 'MiB', notes: 'the file passes through .data/files, never whole in memory' },
      { name: `${label}: RSS growth`, value: peak - before.rssMiB, unit: 'MiB', bar: `well below the file (${SIZE_MIB} MiB)`, pass: peak - before.rssMiB < SIZE_MIB / 4 },
      { name: `${label}: wall time`, value: seconds, unit: 's' },
      { name: `${label}: throughput (download + store + upload)`, value: SIZE_MIB / seconds, unit: 'MiB/s' },
    ]
  } finally {
    await stopProcess(worker)
    await queue.close()
    await stack.drop()
    servers.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
