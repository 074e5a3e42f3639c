// The registry page's embedding bits: what the add-model form sends for each kind, Anthropic not offered for
// embeddings, the kind shown in the list, and embedding deployments kept out of the evaluation picker.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { modelBody, providersFor, type ModelForm } from '@/components/ai/AddModelForm'
import { KindBadge } from '@/components/ai/RegistryView'
import { chatDeploymentNames, type RegistryModel } from '@/components/ai/types'

const form: ModelForm = { name: 'm', provider: 'openai', modelId: 'x', kind: 'chat', dimensions: '512', tools: true, json: false }

describe('registry page: embedding models', () => {
  it.each([
    ['a chat model: capabilities, no dimensions', form, { name: 'm', provider: 'openai', modelId: 'x', kind: 'chat', supportsTools: true, supportsJson: false }],
    ['an embedding model: its vector length, no capabilities', { ...form, kind: 'embedding' as const }, { name: 'm', provider: 'openai', modelId: 'x', kind: 'embedding', dimensions: 512 }],
    ['an embedding model left blank: the known length applies', { ...form, kind: 'embedding' as const, dimensions: ' ' }, { name: 'm', provider: 'openai', modelId: 'x', kind: 'embedding' }],
  ])('sends %s', (_l, f, body) => {
    expect(modelBody(f)).toEqual(body)
  })

  it('offers no Anthropic provider for embedding models', () => {
    expect(providersFor('chat').map((p) => p.value)).toContain('anthropic')
    expect(providersFor('embedding').map((p) => p.value)).toEqual(['openai', 'openaiCompatible'])
  })

  it('shows the kind and vector length', () => {
    expect(renderToStaticMarkup(<KindBadge model={{ kind: 'embedding', dimensions: 1536 }} />)).toContain('embedding · 1536 dims')
    expect(renderToStaticMarkup(<KindBadge model={{ kind: 'chat', dimensions: null }} />)).toContain('chat')
  })

  it('keeps embedding and retired deployments out of the chat pickers', () => {
    const model = (kind: 'chat' | 'embedding', ...deps: [string, string][]): RegistryModel =>
      ({ id: kind, name: kind, provider: 'openai', modelId: kind, kind, dimensions: null, contextLength: 1, supportsTools: false, supportsJson: false, supportsVision: false, inputPricePerM: 0, outputPricePerM: 0, status: 'active', deployments: deps.map(([name, status]) => ({ id: name, name, status, baseUrl: null, credentialId: null, timeoutMs: 1, maxRetries: 0 })) })
    expect(chatDeploymentNames([model('chat', ['gpt', 'active'], ['old', 'retired']), model('embedding', ['vec', 'active'])])).toEqual(['gpt'])
  })
})
