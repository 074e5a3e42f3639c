'use client'
// Register a model (prices default from the known price list) and a deployment for it.
import { useState } from 'react'
import { Button, Input, Select, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import type { RegistryModel } from './types'

const PROVIDERS = [
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
  { value: 'openaiCompatible', label: 'OpenAI-compatible (Ollama, vLLM, LM Studio, OpenRouter)' },
]

export function AddModelForm({ models, onSaved }: { models: RegistryModel[]; onSaved: () => void }) {
  const toast = useToast()
  const [m, setM] = useState({ name: '', provider: 'openai', modelId: '', tools: true, json: true })
  const [d, setD] = useState({ name: '', aiModelId: '', baseUrl: '', credentialId: '' })

  async function addModel(e: React.FormEvent) {
    e.preventDefault()
    try {
      await api.request('/api/ai/models', { method: 'POST', body: { name: m.name, provider: m.provider, modelId: m.modelId, supportsTools: m.tools, supportsJson: m.json } })
      setM({ ...m, name: '', modelId: '' })
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

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <form onSubmit={addModel} className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
        <h2 className="font-medium">Add a model</h2>
        <Select aria-label="Provider" value={m.provider} onChange={(e) => setM({ ...m, provider: e.target.value })} options={PROVIDERS} />
        <Input aria-label="Model name" placeholder="Name, e.g. gpt-4o-mini" value={m.name} onChange={(e) => setM({ ...m, name: e.target.value })} required />
        <Input aria-label="Provider model id" placeholder="Provider model id" value={m.modelId} onChange={(e) => setM({ ...m, modelId: e.target.value })} required />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={m.tools} onChange={(e) => setM({ ...m, tools: e.target.checked })} /> Tool calling
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={m.json} onChange={(e) => setM({ ...m, json: e.target.checked })} /> JSON output
        </label>
        <Button type="submit">Add model</Button>
      </form>
      <form onSubmit={addDeployment} className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
        <h2 className="font-medium">Add a deployment</h2>
        <Select aria-label="Model" value={d.aiModelId} onChange={(e) => setD({ ...d, aiModelId: e.target.value })} placeholder="Model" options={models.map((x) => ({ value: x.id, label: x.name }))} required />
        <Input aria-label="Deployment name" placeholder="Name used in nodes and the API" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} required />
        <Input aria-label="Base URL" placeholder="Base URL (optional; required for OpenAI-compatible)" value={d.baseUrl} onChange={(e) => setD({ ...d, baseUrl: e.target.value })} />
        <Input aria-label="Credential id" placeholder="Credential id (from Settings → Credentials)" value={d.credentialId} onChange={(e) => setD({ ...d, credentialId: e.target.value })} />
        <Button type="submit">Add deployment</Button>
      </form>
    </div>
  )
}
