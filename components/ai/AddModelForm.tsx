'use client'
// Register a model (chat or embedding; prices, and an embedding model's vector length, default from the known
// model list) and a deployment for it.
import { useState } from 'react'
import Link from 'next/link'
import { Button, Input, Select, useToast } from '@/components/ui'
import { CredentialPicker } from '@/components/pickers'
import { api } from '@/lib/client/api'
import type { RegistryModel } from './types'

const PROVIDERS = [
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
  { value: 'openaiCompatible', label: 'OpenAI-compatible (Ollama, vLLM, LM Studio, OpenRouter)' },
]
const KINDS = [
  { value: 'chat', label: 'Chat model' },
  { value: 'embedding', label: 'Embedding model' },
]

export interface ModelForm {
  name: string
  provider: string
  modelId: string
  kind: 'chat' | 'embedding'
  /** Text of the number field: blank leaves the known model's length (or the provider's default). */
  dimensions: string
  tools: boolean
  json: boolean
}

/** The POST /api/ai/models body: capabilities for chat models, a vector length for embedding models. */
export function modelBody(m: ModelForm) {
  const base = { name: m.name, provider: m.provider, modelId: m.modelId, kind: m.kind }
  if (m.kind === 'embedding') return m.dimensions.trim() ? { ...base, dimensions: Number(m.dimensions) } : base
  return { ...base, supportsTools: m.tools, supportsJson: m.json }
}

/** Anthropic has no embeddings API: it is not offered for embedding models. */
export function providersFor(kind: ModelForm['kind']) {
  return kind === 'embedding' ? PROVIDERS.filter((p) => p.value !== 'anthropic') : PROVIDERS
}

export function AddModelForm({ models, onSaved }: { models: RegistryModel[]; onSaved: () => void }) {
  const toast = useToast()
  const [m, setM] = useState<ModelForm>({ name: '', provider: 'openai', modelId: '', kind: 'chat', dimensions: '', tools: true, json: true })
  const [d, setD] = useState<{ name: string; aiModelId: string; baseUrl: string; credentialId?: string }>({ name: '', aiModelId: '', baseUrl: '' })
  // The deployment's credential is one of its model's provider kind (openai, anthropic, openaiCompatible).
  const provider = models.find((x) => x.id === d.aiModelId)?.provider

  async function addModel(e: React.FormEvent) {
    e.preventDefault()
    try {
      await api.request('/api/ai/models', { method: 'POST', body: modelBody(m) })
      setM({ ...m, name: '', modelId: '', dimensions: '' })
      onSaved()
    } catch (err) {
      toast.error(err, 'Model not added')
    }
  }

  async function addDeployment(e: React.FormEvent) {
    e.preventDefault()
    try {
      await api.request('/api/ai/deployments', { method: 'POST', body: { name: d.name, aiModelId: d.aiModelId, baseUrl: d.baseUrl || null, credentialId: d.credentialId || null } })
      setD({ ...d, name: '' })
      onSaved()
    } catch (err) {
      toast.error(err, 'Deployment not added')
    }
  }

  function setKind(kind: ModelForm['kind']) {
    setM({ ...m, kind, provider: kind === 'embedding' && m.provider === 'anthropic' ? 'openai' : m.provider })
  }

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <form onSubmit={addModel} className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
        <h2 className="font-medium">Add a model</h2>
        <Select aria-label="Kind" value={m.kind} onChange={(e) => setKind(e.target.value as ModelForm['kind'])} options={KINDS} />
        <Select aria-label="Provider" value={m.provider} onChange={(e) => setM({ ...m, provider: e.target.value })} options={providersFor(m.kind)} />
        <Input aria-label="Model name" placeholder={m.kind === 'embedding' ? 'Name, e.g. text-embedding-3-small' : 'Name, e.g. gpt-4o-mini'} value={m.name} onChange={(e) => setM({ ...m, name: e.target.value })} required />
        <Input aria-label="Provider model id" placeholder="Provider model id" value={m.modelId} onChange={(e) => setM({ ...m, modelId: e.target.value })} required />
        {m.kind === 'embedding' ? (
          <Input
            aria-label="Dimensions"
            type="number"
            min={1}
            max={16384}
            step={1}
            placeholder="Dimensions (blank: the known model's, else the provider's default)"
            value={m.dimensions}
            onChange={(e) => setM({ ...m, dimensions: e.target.value })}
          />
        ) : (
          <>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={m.tools} onChange={(e) => setM({ ...m, tools: e.target.checked })} /> Tool calling
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={m.json} onChange={(e) => setM({ ...m, json: e.target.checked })} /> JSON output
            </label>
          </>
        )}
        <Button type="submit">Add model</Button>
      </form>
      <form onSubmit={addDeployment} className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
        <h2 className="font-medium">Add a deployment</h2>
        <Select aria-label="Model" value={d.aiModelId} onChange={(e) => setD({ ...d, aiModelId: e.target.value })} placeholder="Model" options={models.map((x) => ({ value: x.id, label: x.kind === 'embedding' ? `${x.name} (embedding)` : x.name }))} required />
        <Input aria-label="Deployment name" placeholder="Name used in nodes and the API" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} required />
        <Input aria-label="Base URL" placeholder="Base URL (optional; required for OpenAI-compatible)" value={d.baseUrl} onChange={(e) => setD({ ...d, baseUrl: e.target.value })} />
        <CredentialPicker label="Credential" kinds={provider ? [provider] : []} value={d.credentialId} onChange={(credentialId) => setD({ ...d, credentialId })}
          emptyLabel="No credential (the provider's default)" />
        <p className="text-xs text-muted">
          The API key the deployment calls with. <Link href="/settings/credentials" className="text-accent hover:underline">Add one in Settings → Credentials</Link>.
        </p>
        <Button type="submit">Add deployment</Button>
      </form>
    </div>
  )
}
