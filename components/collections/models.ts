// The AI registry's deployments a collection can use: embedding deployments (and routes made only of them) to embed
// with, chat deployments to re-rank with. Read from GET /api/ai/registry.
import type { SelectOption } from '@/components/ui'
import { api } from '@/lib/client/api'

interface RegistryModel {
  name: string
  modelId: string
  provider?: string
  /** chat | embedding (absent on registries from before embeddings: chat). */
  kind?: string
  dimensions?: number | null
  status: string
  deployments: Array<{ name: string; status: string }>
}

export interface Registry {
  models: RegistryModel[]
  routes: Array<{ name: string; deployments: string[] }>
}

export const loadRegistry = () => api.request<Registry>('/api/ai/registry')

type Kind = 'embedding' | 'chat'

/**
 * Active deployments of active models of this kind (of one provider when given), then the routes whose deployments
 * are all of them (unless `routes` is false).
 */
export function deploymentOptions(reg: Registry, kind: Kind, opts: { provider?: string; routes?: boolean } = {}): SelectOption[] {
  const names = new Set<string>()
  const options: SelectOption[] = []
  for (const m of reg.models) {
    if ((m.kind ?? 'chat') !== kind || m.status !== 'active' || (opts.provider && m.provider !== opts.provider)) continue
    for (const d of m.deployments) {
      if (d.status !== 'active') continue
      names.add(d.name)
      options.push({ value: d.name, label: `${d.name} — ${m.modelId}${kind === 'embedding' && m.dimensions ? ` · ${m.dimensions} dimensions` : ''}` })
    }
  }
  for (const r of opts.routes === false ? [] : reg.routes) {
    if (r.deployments.length > 0 && r.deployments.every((d) => names.has(d))) options.push({ value: r.name, label: `${r.name} (route of ${r.deployments.length})` })
  }
  return options
}
