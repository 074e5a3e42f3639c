'use client'
// The inspector's Docs tab: the same text, parameter table and examples as docs/nodes.md, from the node type itself.
import { useMemo } from 'react'
import { InlineMarkdown, Markdown } from '@/components/docs/Markdown'
import { compactJson } from '@/lib/docs/compact-json'
import type { NodeExample } from '@/lib/engine/types'
import { paramDocs } from '@/lib/forms/param-docs'
import type { JsonSchema } from '@/lib/forms/schema'
import type { NodeTypeInfo } from '@/lib/store/types'

const names = (ports: { name: string }[]) => ports.map((p) => p.name).join(', ')

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <div className="text-[11px] text-muted">{label}</div>
      <pre className="overflow-x-auto rounded bg-canvas p-2 font-mono text-[11px] leading-4">{compactJson(value, 60)}</pre>
    </div>
  )
}

function Example({ example }: { example: NodeExample }) {
  return (
    <li className="flex flex-col gap-1 rounded-md border border-line p-2" data-testid="docs-example">
      <div className="text-xs font-semibold">{example.title}</div>
      {example.params && Object.keys(example.params).length > 0 && <Json label="Parameters" value={example.params} />}
      {example.input && <Json label="Input" value={example.input} />}
      {example.output && <Json label="Output" value={example.output} />}
      {Object.entries(example.files ?? {}).map(([id, text]) => (
        <div key={id}>
          <div className="text-[11px] text-muted">File {id}</div>
          <pre className="overflow-x-auto rounded bg-canvas p-2 font-mono text-[11px] leading-4">{text}</pre>
        </div>
      ))}
    </li>
  )
}

export function NodeDocs({ type }: { type: NodeTypeInfo }) {
  const params = useMemo(() => paramDocs(type.params as JsonSchema, type.credential), [type])
  const facts = [
    type.inputs.length > 0 && `Inputs: ${names(type.inputs)}`,
    `Outputs: ${names(type.outputs)}${type.dynamicOutputs ? ' (depend on the parameters)' : ''}`,
    type.credential && `Credential${type.credential.optional ? ' (optional)' : ''}: ${type.credential.kinds.join(', ')}`,
    type.services?.length && `Host services: ${type.services.join(', ')}`,
  ].filter((f): f is string => typeof f === 'string')
  return (
    <div className="flex flex-col gap-4" data-testid="node-docs">
      <Markdown source={type.docs?.description ?? type.description} />
      <ul className="text-xs text-muted">{facts.map((f) => <li key={f}>{f}</li>)}</ul>
      <section>
        <h4 className="mb-1 text-xs font-semibold">Parameters</h4>
        {params.length === 0 && <p className="text-xs text-muted">No parameters.</p>}
        <dl className="flex flex-col gap-2 text-xs">
          {params.map((p) => (
            <div key={p.name}>
              <dt>
                <span className="font-semibold">{p.label}</span> <code className="font-mono">{p.name}</code>{' '}
                <span className="text-muted">· <InlineMarkdown text={p.type} />{p.default !== undefined ? ` · default ${p.default}` : p.required ? ' · required' : ''}</span>
              </dt>
              <dd className="text-fg">{p.condition && <InlineMarkdown text={`${p.condition} `} />}{p.description}</dd>
            </div>
          ))}
        </dl>
      </section>
      {(type.docs?.examples.length ?? 0) > 0 && (
        <section>
          <h4 className="mb-1 text-xs font-semibold">Examples</h4>
          <ul className="flex flex-col gap-2">{type.docs!.examples.map((ex) => <Example key={ex.title} example={ex} />)}</ul>
        </section>
      )}
    </div>
  )
}
