// Host services are typed: a node type declares the keys it uses, its executor sees exactly those, and a host that
// runs a registry without providing one fails to compile. The @ts-expect-error lines are the test (tsc checks them:
// an error that stops happening fails the type check); the runtime assertions keep the declarations honest.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createRegistry } from '@/lib/engine/registry'
import { runWorkflow } from '@/lib/engine/run'
import type { NodeRegistry, NodeServices, RunOptions, ServicesFor } from '@/lib/engine/types'
import { nodeCatalogue } from '@/lib/nodes/catalogue'
import type { Executor, NodeType } from '@/lib/nodes/define'
import type { HostServices } from '@/lib/nodes/host-services'
import { nodeRegistry } from '@/lib/nodes/registry'
import type { webNodeServices } from '@/lib/services/node-runtime'
import type { WorkerRuntimeOptions } from '@/workers/runtime/worker-runtime'
import type { ExecutionRuntime } from '@/workers/runtime/run-execution'
import { llmChat } from '@/lib/nodes/llm-chat/definition'
import { setNode } from '@/lib/nodes/set/definition'

const core: NodeServices = {
  http: { request: () => Promise.reject(new Error('unused')) },
  sandbox: { evaluateExpression: () => Promise.reject(new Error('unused')), runCode: () => Promise.reject(new Error('unused')) },
  sleep: async () => {},
}
const graph = { nodes: [], edges: [], notes: [] }
const base = { graph, executionId: 'e', workflowId: 'w', tenantId: 't', input: [], getCredential: () => Promise.reject(new Error('unused')) }

describe('typed host services', () => {
  it('a host must provide every service the registry declares', () => {
    expectTypeOf(nodeRegistry).toEqualTypeOf<NodeRegistry<HostServices>>()
    // @ts-expect-error the registry holds AI nodes, and these services have no router
    const withoutAi = () => runWorkflow({ ...base, registry: nodeRegistry, services: core })
    // A registry whose node types need nothing extra runs on the core services alone.
    const coreOnly = () => runWorkflow({ ...base, registry: createRegistry([setNode]), services: core })
    // A registry with one AI node needs the router, and only the router.
    const aiOnly = createRegistry([setNode, llmChat])
    expectTypeOf(aiOnly).toEqualTypeOf<NodeRegistry<Pick<HostServices, 'ai'>>>()
    // @ts-expect-error still no router
    const aiMissing = () => runWorkflow({ ...base, registry: aiOnly, services: core })
    expectTypeOf<RunOptions<Pick<HostServices, 'ai'>>['services']>().toEqualTypeOf<ServicesFor<Pick<HostServices, 'ai'>>>()
    expect([withoutAi, coreOnly, aiMissing].every((f) => typeof f === 'function')).toBe(true)
  })

  it('every host of the app provides every host service', () => {
    expectTypeOf<ReturnType<typeof webNodeServices>>().toMatchTypeOf<NodeServices & HostServices>()
    expectTypeOf<ExecutionRuntime['services']>().toMatchTypeOf<HostServices>()
    // The worker runtime runs sub-workflows and builds the TCP guard itself, makes the messaging store and the browser
    // pool and the vector host unless given them, and takes the rest from its caller.
    expectTypeOf<WorkerRuntimeOptions['services']>().toEqualTypeOf<
      Omit<HostServices, 'runWorkflow' | 'executeWorkflow' | 'network' | 'events' | 'messaging' | 'browser' | 'vectors'> & { messaging?: HostServices['messaging']; browser?: HostServices['browser']; vectors?: HostServices['vectors'] }
    >()
    // @ts-expect-error a worker without the AI services does not compile
    const missing: WorkerRuntimeOptions['services'] = { ai: {} as HostServices['ai'] }
    expect(missing).toBeDefined()
  })

  it("an executor sees exactly the services its node type declares", () => {
    const params = z.object({})
    const execute: Executor<z.infer<typeof params>, 'ai'> = async (ctx) => {
      expectTypeOf(ctx.services.ai).toEqualTypeOf<HostServices['ai']>()
      // @ts-expect-error aiMemory was not declared
      void ctx.services.aiMemory
      return { main: [] }
    }
    const def = { type: 'x', version: 1, label: 'X', description: 'x', icon: 'Box' as const, category: 'ai' as const, params, inputs: [], outputs: [], load: async () => ({ execute }) }
    // @ts-expect-error a node type that uses a service must list it
    const unlisted: NodeType<z.infer<typeof params>, 'ai'> = def
    const listed: NodeType<z.infer<typeof params>, 'ai'> = { ...def, services: ['ai'] }
    expect([unlisted, listed]).toHaveLength(2)
  })

  it('lists the declared services in the catalogue', () => {
    // Browser nodes (browser-*) are checked by family below.
    const services = Object.fromEntries(nodeCatalogue().flatMap((e) => (e.services && !e.type.startsWith('browser-') ? [[e.type, e.services]] : [])))
    const browserNodes = nodeCatalogue().filter((e) => e.type.startsWith('browser-') && !e.trigger)
    expect(browserNodes.length).toBeGreaterThan(0)
    for (const e of browserNodes) expect(e.services, e.type).toEqual(['browser', 'files'])
    expect(services).toEqual({
      'llm-chat': ['ai'],
      agent: ['ai', 'aiMemory', 'runWorkflow', 'executeWorkflow', 'dedupeHistory', 'files', 'network', 'events', 'messaging', 'browser', 'vectors'],
      classify: ['ai'],
      extract: ['ai'],
      'conversation-memory': ['ai', 'aiMemory'],
      'remove-duplicates': ['dedupeHistory'],
      'http-request': ['files'],
      compression: ['files'],
      'convert-to-file': ['files'],
      'extract-from-file': ['files'],
      redis: ['network'],
      'send-email': ['network', 'files'],
      postgres: ['network'],
      mysql: ['network'],
      'execute-workflow': ['executeWorkflow'],
      'publish-event': ['events'],
      rabbitmq: ['network'],
      nats: ['network'],
      mqtt: ['network'],
      'twilio-make-call': ['messaging', 'network'],
      'twilio-call-say': ['messaging'],
      'twilio-call-gather': ['messaging'],
      'twilio-call-record': ['messaging'],
      'twilio-call-dial': ['messaging'],
      'twilio-call-hangup': ['messaging'],
      'twilio-send-sms': ['messaging', 'files', 'network'],
      'twilio-bulk-sms': ['messaging', 'network'],
      'whatsapp-send': ['messaging', 'files'],
      'whatsapp-download-media': ['files'],
      'vector-ingest': ['vectors', 'files'],
      'vector-search': ['vectors'],
      'vector-delete': ['vectors'],
      'rag-answer': ['vectors', 'ai'],
    })
  })
})
