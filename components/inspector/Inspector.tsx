'use client'
// Right-hand panel for the selected node: generated parameter form, per-node settings, run data and the node type's docs.
import { useCallback, useMemo, useState } from 'react'
import { z } from 'zod'
import { AlertTriangle, Maximize2, X } from 'lucide-react'
import { Tabs } from '@/components/ui'
import { nodeSettingsSchema } from '@/lib/engine/graph-schema'
import type { CodeMode } from '@/lib/forms/code-completion'
import type { PreviewScope, UpstreamSample } from '@/lib/forms/expression'
import { FormEnvContext, ParamsForm, type FormEnv } from '@/lib/forms/fields'
import { describeParams, type FieldDescriptor, type JsonSchema } from '@/lib/forms/schema'
import {
  checkpoint, paramChanged, selectionSet, settingChanged, useAppDispatch, useAppSelector, useAppStore,
} from '@/lib/store'
import { selectInspectedNodeId, selectNodeProblems, selectSourcePorts } from '@/lib/store/selectors'
import { outputPorts } from '@/lib/store/ports'
import { useExecutionData } from './execution-data'
import { useNodeEditor } from './node-editor-context'
import { NodeTitle } from './NodeTitle'
import { NodeData } from './NodeData'
import { NodeDocs } from './NodeDocs'
import { WebhookUrl } from './WebhookUrl'
import { ProviderHookUrl } from './ProviderHookUrl'
import { MonitorStatus } from './MonitorStatus'
import { ScheduleTimes } from './ScheduleTimes'
import { upstreamSamples } from './upstream'

type Tab = 'params' | 'settings' | 'data' | 'docs'

let settingsFields: FieldDescriptor[] | null = null
const getSettingsFields = () =>
  (settingsFields ??= describeParams(z.toJSONSchema(nodeSettingsSchema, { io: 'input' }) as JsonSchema).map((f) =>
    f.key === 'notes' ? { ...f, kind: 'textarea' as const } : f,
  ))

/** "nodes.2.params.url" / field "url" → "url". */
export function problemKey(p: { field?: string; path: string }): string {
  const raw = p.field ?? p.path
  const m = /(?:^|\.)params\.(.+)$/.exec(raw)
  return m ? m[1] : raw
}

/** Under its field a problem needs no node name: "HTTP request: URL is required" → "URL is required". */
function fieldMessage(message: string, nodeName: string | undefined): string {
  return nodeName && message.startsWith(`${nodeName}: `) ? message.slice(nodeName.length + 2) : message
}

export function Inspector() {
  const nodeId = useAppSelector(selectInspectedNodeId)
  // Nothing selected: no panel, the canvas gets the room (the shortcut hints sit on the canvas).
  if (!nodeId) return null
  return <NodeInspector key={nodeId} nodeId={nodeId} />
}

/** `embedded`: the node editor's parameters column (no header, no Data tab: the editor shows input and output). */
export function NodeInspector({ nodeId, embedded }: { nodeId: string; embedded?: boolean }) {
  const dispatch = useAppDispatch()
  const store = useAppStore()
  const node = useAppSelector((s) => s.graph.nodes[nodeId])
  const type = useAppSelector((s) => (node ? s.ui.nodeTypes[node.type] : undefined))
  const readOnly = useAppSelector((s) => s.ui.viewingVersion !== null)
  const problems = useAppSelector((s) => selectNodeProblems(s, nodeId))
  const usedPorts = useAppSelector((s) => selectSourcePorts(s, nodeId))
  const edges = useAppSelector((s) => s.graph.edges)
  const nodeTypes = useAppSelector((s) => s.ui.nodeTypes)
  const { steps } = useExecutionData()
  const [tab, setTab] = useState<Tab>('params')
  const editor = useNodeEditor()

  const fields = useMemo(
    () => describeParams(type?.params as JsonSchema | undefined, type?.credential ? { credential: type.credential } : {}),
    [type],
  )

  const upstream = useMemo(
    (): UpstreamSample[] => upstreamSamples(store.getState().graph, nodeId, steps, nodeTypes),
    [store, nodeId, steps, edges, nodeTypes], // eslint-disable-line react-hooks/exhaustive-deps
  )
  const codeMode = node?.type === 'code' ? ((node.params.mode as CodeMode | undefined) ?? 'runOnceForAllItems') : undefined

  const commit = useCallback(() => dispatch(checkpoint()), [dispatch])
  const env: FormEnv = useMemo(() => {
    const byField: Record<string, string> = {}
    for (const p of problems) if (p.field || p.path.includes('params.')) byField[problemKey(p)] = fieldMessage(p.message, node?.name)
    const previewScope: PreviewScope = {
      $json: upstream.find((u) => u.direct)?.item ?? null,
      $node: Object.fromEntries(upstream.map((u) => [u.name, { json: u.item }])),
    }
    return { readOnly, problems: byField, upstream, previewScope, codeMode, onCommit: commit }
  }, [problems, upstream, readOnly, commit, codeMode, node?.name])

  if (!node) return null
  const general = problems.filter((p) => !(p.field || p.path.includes('params.')))
  const ports = outputPorts(node, type, usedPorts).map((p) => p.name)

  return (
    <aside className={embedded ? 'flex h-full min-h-0 flex-col' : 'flex h-full w-[380px] shrink-0 flex-col border-l border-line bg-panel'} aria-label={embedded ? 'Parameters' : 'Inspector'} data-testid={embedded ? 'node-editor-params' : 'inspector'}>
      {!embedded && <header className="flex items-center gap-2 border-b border-line p-3">
        <NodeTitle nodeId={nodeId} testId="node-name-input" />
        <button type="button" aria-label="Open the node editor" title="Open the node editor: input, parameters and output side by side (double-click a node)" className="rounded p-1 text-muted hover:bg-panel-2" onClick={() => editor.open(nodeId)}>
          <Maximize2 className="size-4" />
        </button>
        <button type="button" aria-label="Close inspector" className="rounded p-1 text-muted hover:bg-panel-2" onClick={() => dispatch(selectionSet({}))}>
          <X className="size-4" />
        </button>
      </header>}
      {general.length > 0 && (
        <ul className="border-b border-line bg-warn/10 px-3 py-2 text-xs text-fg" data-testid="node-problem-list">
          {general.map((p, i) => (
            <li key={i} className="flex gap-1.5"><AlertTriangle className="mt-0.5 size-3 shrink-0 text-warn" />{p.message}</li>
          ))}
        </ul>
      )}
      <Tabs<Tab>
        label="Inspector sections"
        className="px-2 pt-1"
        value={tab}
        onChange={setTab}
        tabs={[{ id: 'params', label: 'Parameters' }, { id: 'settings', label: 'Settings' }, ...(embedded ? [] : [{ id: 'data' as const, label: 'Data' }]), { id: 'docs', label: 'Docs' }]}
      />
      <div className="flex-1 overflow-y-auto p-3">
        <FormEnvContext.Provider value={env}>
          {tab === 'params' && node.type === 'webhook-trigger' && <WebhookUrl nodeId={nodeId} params={node.params} />}
          {tab === 'params' && node.type === 'schedule-trigger' && <ScheduleTimes params={node.params} />}
          {tab === 'params' && type?.hook && <ProviderHookUrl nodeId={nodeId} hook={type.hook} />}
          {tab === 'params' && node.type === 'browser-page-monitor' && <MonitorStatus nodeId={nodeId} />}
          {tab === 'params' && (
            <ParamsForm
              fields={fields}
              values={node.params}
              onChange={(key, value) => dispatch(paramChanged({ id: nodeId, key, value, group: `param:${nodeId}:${key}` }))}
            />
          )}
          {tab === 'settings' && (
            <FormEnvContext.Provider value={{ ...env, expressions: false }}>
            <ParamsForm
              fields={getSettingsFields()}
              values={node.settings as Record<string, unknown>}
              onChange={(key, value) => dispatch(settingChanged({ id: nodeId, key: key as never, value, group: `setting:${nodeId}:${key}` }))}
            />
            </FormEnvContext.Provider>
          )}
        </FormEnvContext.Provider>
        {tab === 'data' && <NodeData nodeId={nodeId} outputPorts={ports} />}
        {tab === 'docs' && type && <NodeDocs type={type} />}
      </div>
    </aside>
  )
}
