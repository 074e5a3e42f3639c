// A worker runtime for integration tests, wired as workers/worker.ts wires it, on the test file's database and queue
// prefix (from useTestEnv): the real registry, credential store and offline host services unless `extra` says more.
import { getDecryptedCredential } from '@/lib/credentials'
import { nodeRegistry } from '@/lib/nodes/registry'
import { startWorkerRuntime, type RunningWorker, type WorkerRuntimeOptions } from '@/workers/runtime/worker-runtime'
import { testRedisUrl, type TestDatabase, type TestRedisPrefix } from './db'
import { offlineHostServices } from './host-services'

export function startTestWorker(env: { db: TestDatabase; redis: TestRedisPrefix }, extra: Partial<WorkerRuntimeOptions> = {}): Promise<RunningWorker> {
  return startWorkerRuntime({
    prisma: env.db.prisma,
    redisUrl: testRedisUrl(),
    queuePrefix: env.redis.prefix,
    registry: nodeRegistry,
    getCredential: getDecryptedCredential,
    services: offlineHostServices(),
    ...extra,
  })
}
