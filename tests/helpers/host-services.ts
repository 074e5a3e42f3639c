// Host services for tests that run the whole node registry without exercising AI or sub-workflows: a real router
// over an empty catalog (a model call fails as for a tenant with no deployments), history in a Map, and a
// sub-workflow runner and a Remove Duplicates history that refuse. Tests of those services build their own.
import { StaticCatalog } from '@/lib/ai/catalog'
import { MemoryLedger } from '@/lib/ai/ledger'
import type { Conversation, ConversationStore } from '@/lib/ai/memory'
import { AiRouter } from '@/lib/ai/router'
import type { HostServices } from '@/lib/nodes/host-services'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { unavailableDedupeHistory } from '@/lib/nodes/remove-duplicates/history'
import { unavailableMessaging } from '../../lib/messaging/unavailable'
import { unavailableBrowser } from '../../lib/browser/unavailable'
import { unavailableVectors } from '../../lib/vector/unavailable'
import { memoryFiles } from './files'
import type { EventHost, PublishRequest } from '@/lib/nodes/publish-event/host'

/** An event bus that records what runs publish (no subscribers: every event reaches 0 workflows). */
export function memoryEvents(): EventHost & { published: (PublishRequest & { tenantId: string; executionId: string })[] } {
  const published: (PublishRequest & { tenantId: string; executionId: string })[] = []
  const ids = new Map<string, string>()
  return {
    published,
    forRun: (run) => ({
      publish: async (events) =>
        events.map((e) => {
          let eventId = ids.get(`${run.tenantId}|${e.dedupeKey}`)
          if (!eventId) {
            eventId = `ev_${published.length + 1}`
            ids.set(`${run.tenantId}|${e.dedupeKey}`, eventId)
            published.push({ ...e, tenantId: run.tenantId, executionId: run.executionId })
          }
          return { eventId, subscribers: 0 }
        }),
    }),
  }
}

export function memoryConversationStore(): ConversationStore & { data: Map<string, Conversation> } {
  const data = new Map<string, Conversation>()
  return {
    data,
    load: async (t, k) => structuredClone(data.get(`${t}|${k}`) ?? { sessionKey: k, messages: [], summary: '' }),
    save: async (t, c) => void data.set(`${t}|${c.sessionKey}`, structuredClone(c)),
    clear: async (t, k) => void data.delete(`${t}|${k}`),
  }
}

export function offlineHostServices(): HostServices {
  return {
    ai: new AiRouter({
      catalog: new StaticCatalog({ deployments: [] }),
      ledger: new MemoryLedger(),
      credentials: async () => ({}),
      fetch: () => Promise.reject(new Error('no model calls in this test')),
      spend: { spentSince: async () => 0n },
    }),
    aiMemory: memoryConversationStore(),
    runWorkflow: () => Promise.reject(new Error('no sub-workflows in this test')),
    executeWorkflow: () => Promise.reject(new Error('no sub-workflows in this test')),
    dedupeHistory: unavailableDedupeHistory,
    messaging: unavailableMessaging,
    browser: unavailableBrowser,
    vectors: unavailableVectors,
    // The default policy: private addresses (every test server) are refused unless a test brings its own guard.
    files: memoryFiles(),
    // The production default: private and loopback hosts are refused unless a test allow-lists them.
    network: createTcpGuard(),
    events: memoryEvents(),
  }
}
