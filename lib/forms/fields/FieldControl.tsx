'use client'
// One generated field: label, control by kind, per-field expression mode, problems under it.
import { useRef, useState } from 'react'
import { Plus, Trash2 } from 'lucide-react'
import { Select } from '@/components/ui'
import { CollectionInput, ModelPicker, NodeTypePicker } from '@/components/pickers'
import { fromExpressionValue, isExpression, toExpressionValue } from '../expression'
import { isVisible, type FieldDescriptor } from '../schema'
import { CodeEditor } from './CodeEditor'
import { CredentialPicker } from './CredentialPicker'
import { useFormEnv } from './context'
import { ExpressionEditor } from './ExpressionEditor'
import { JsonEditor } from './JsonEditor'
import { KeyValueEditor } from './KeyValueEditor'
import { WorkflowPicker } from './WorkflowPicker'

const input = 'h-8 w-full rounded-md border border-line bg-panel px-2 text-sm outline-none focus:border-accent aria-[invalid=true]:border-danger'

/** Kinds where switching to an expression makes sense (code/credential/object have their own editors). */
const EXPRESSIBLE = new Set(['text', 'textarea', 'number', 'boolean', 'enum', 'json', 'list', 'keyValue', 'workflow', 'expression', 'aiModel', 'collection'])
/** Kinds whose expressions may span lines (Enter adds a line); the others are single-line. */
const MULTILINE = new Set(['textarea', 'json', 'list', 'keyValue'])

export function FieldControl({ field, value, onChange }: { field: FieldDescriptor; value: unknown; onChange: (v: unknown) => void }) {
  const env = useFormEnv()
  const key = field.path.join('.')
  const problem = env.problems[key]
  const canToggle = EXPRESSIBLE.has(field.kind) && !env.readOnly && env.expressions !== false
  // Fixed | Expression per field: a value holding `{{ }}` opens as an expression; otherwise the field's own control.
  const [exprMode, setExprMode] = useState(() => isExpression(value))
  const expr = (exprMode && env.expressions !== false) || isExpression(value)
  // An editor that appears by a gesture here (the toggle, typing `{{ }}` into the fixed input) takes the focus.
  const openedAsExpression = useRef(expr)
  const id = `f-${key}`
  const shown = value === undefined ? field.default : value

  let control
  if (expr) {
    control = (
      <ExpressionEditor label={field.label} multiline={MULTILINE.has(field.kind)} autoFocus={!openedAsExpression.current}
        value={typeof value === 'string' ? value : toExpressionValue(shown)} onChange={onChange} />
    )
  } else {
    switch (field.kind) {
      case 'text':
      case 'expression':
      case 'password':
        control = (
          <input id={id} aria-invalid={!!problem} className={input} type={field.kind === 'password' ? 'password' : 'text'} readOnly={env.readOnly}
            placeholder={field.placeholder} value={typeof shown === 'string' ? shown : shown === undefined ? '' : String(shown)}
            onChange={(e) => onChange(e.target.value)} onBlur={env.onCommit} />
        )
        break
      case 'textarea':
        control = (
          <textarea id={id} aria-invalid={!!problem} className={`${input} h-auto py-1.5`} rows={field.rows ?? 4} readOnly={env.readOnly}
            value={typeof shown === 'string' ? shown : ''} onChange={(e) => onChange(e.target.value)} onBlur={env.onCommit} />
        )
        break
      case 'number':
        control = (
          <input id={id} aria-invalid={!!problem} className={input} type="number" readOnly={env.readOnly} min={field.min} max={field.max} step={field.integer ? 1 : 'any'}
            value={typeof shown === 'number' ? shown : ''} onBlur={env.onCommit}
            onChange={(e) => onChange(e.target.value === '' ? undefined : field.integer ? Math.trunc(Number(e.target.value)) : Number(e.target.value))} />
        )
        break
      case 'boolean':
        control = (
          <label className="flex items-center gap-2 text-sm">
            <input id={id} type="checkbox" className="size-4 accent-[var(--accent)]" disabled={env.readOnly} checked={shown === true}
              onChange={(e) => { onChange(e.target.checked); env.onCommit() }} />
            <span className="text-muted">{shown === true ? 'On' : 'Off'}</span>
          </label>
        )
        break
      case 'enum':
        control = (
          <Select id={id} invalid={!!problem} disabled={env.readOnly} className="h-8" value={typeof shown === 'string' ? shown : ''}
            placeholder={field.required ? undefined : '—'} options={field.options ?? []}
            onChange={(e) => { onChange(e.target.value || undefined); env.onCommit() }} />
        )
        break
      case 'code':
        control = <CodeEditor label={field.label} readOnly={env.readOnly} value={typeof shown === 'string' ? shown : ''} onChange={onChange} onBlur={env.onCommit} />
        break
      case 'keyValue':
        control = <KeyValueEditor label={field.label} value={shown} onChange={onChange} />
        break
      case 'credential':
        control = <CredentialPicker label={field.label} kinds={field.credentialKinds ?? []} value={value} onChange={(v) => { onChange(v); env.onCommit() }} />
        break
      case 'workflow':
        control = <WorkflowPicker id={id} label={field.label} invalid={!!problem} value={value} onChange={(v) => { onChange(v); env.onCommit() }} />
        break
      case 'collection':
        control = <CollectionInput id={id} label={field.label} className={input} invalid={!!problem} readOnly={env.readOnly} value={shown} onChange={onChange} onBlur={env.onCommit} />
        break
      case 'nodeType':
        control = <NodeTypePicker id={id} label={field.label} invalid={!!problem} disabled={env.readOnly} value={shown} onChange={(v) => { onChange(v); env.onCommit() }} />
        break
      case 'aiModel':
        control = <ModelPicker id={id} label={field.label} kind={field.modelKind} invalid={!!problem} disabled={env.readOnly} value={shown} onChange={(v) => { onChange(v ?? ''); env.onCommit() }} />
        break
      case 'object':
        control = <ObjectFields fields={field.children ?? []} value={shown} onChange={onChange} />
        break
      case 'list':
        control = <ListFields field={field} value={shown} onChange={onChange} />
        break
      default:
        control = <JsonEditor label={field.label} value={shown} onChange={onChange} />
    }
  }

  const toggle = (toExpr: boolean) => {
    if (toExpr === expr) return
    setExprMode(toExpr)
    onChange(toExpr ? toExpressionValue(shown) || undefined : fromExpressionValue(value, field.default, env.previewScope))
    env.onCommit()
  }
  return (
    <div className="group/field flex flex-col gap-1" data-testid={`field-${key}`} data-field-kind={field.kind} data-mode={expr ? 'expression' : 'fixed'}>
      <div className="flex items-center justify-between gap-2">
        <label htmlFor={id} className="text-xs font-medium text-fg">
          {field.label}
          {field.required && <span className="text-danger"> *</span>}
        </label>
        {canToggle && (
          <div
            role="group"
            aria-label={`${field.label}: value mode`}
            className={`flex overflow-hidden rounded border border-line text-[10px] transition-opacity ${expr ? '' : 'opacity-0 group-hover/field:opacity-100 group-focus-within/field:opacity-100'}`}
          >
            {(['fixed', 'expression'] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={(m === 'expression') === expr}
                title={m === 'fixed' ? 'A fixed value' : 'An expression: {{ $json.field }} and text'}
                data-testid={`mode-${m}`}
                className={`px-1.5 py-0.5 ${(m === 'expression') === expr ? 'bg-accent text-accent-fg' : 'text-muted hover:bg-panel-2'}`}
                onClick={() => toggle(m === 'expression')}
              >
                {m === 'fixed' ? 'Fixed' : 'Expression'}
              </button>
            ))}
          </div>
        )}
      </div>
      {control}
      {problem ? (
        <p role="alert" className="text-xs text-danger" data-testid="field-problem">{problem}</p>
      ) : field.description ? (
        <p className="text-[11px] text-muted">{field.description}</p>
      ) : null}
    </div>
  )
}

export function ObjectFields({ fields, value, onChange }: { fields: FieldDescriptor[]; value: unknown; onChange: (v: unknown) => void }) {
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  return (
    <div className="flex flex-col gap-3 rounded-md border border-line p-2">
      {fields.filter((f) => isVisible(f, obj)).map((f) => (
        <FieldControl key={f.key} field={f} value={obj[f.key]} onChange={(v) => {
          const next = { ...obj }
          if (v === undefined) delete next[f.key]
          else next[f.key] = v
          onChange(next)
        }} />
      ))}
    </div>
  )
}

/** Item fields address their row: "conditions.*.left" becomes "conditions.2.left" (test ids, problem lookup). */
function atIndex(fields: FieldDescriptor[], depth: number, i: number): FieldDescriptor[] {
  return fields.map((f) => ({
    ...f,
    path: f.path.map((seg, d) => (d === depth && seg === '*' ? String(i) : seg)),
    children: f.children ? atIndex(f.children, depth, i) : undefined,
  }))
}

function ListFields({ field, value, onChange }: { field: FieldDescriptor; value: unknown; onChange: (v: unknown) => void }) {
  const env = useFormEnv()
  const list = Array.isArray(value) ? value : []
  const item = field.item!
  const empty = () => (item.kind === 'object' ? {} : item.kind === 'number' ? 0 : '')
  return (
    <div className="flex flex-col gap-1.5">
      {list.map((v, i) => (
        <div key={i} className="flex items-start gap-1">
          <div className="min-w-0 flex-1">
            {item.kind === 'object' ? (
              <ObjectFields fields={atIndex(item.children ?? [], field.path.length, i)} value={v} onChange={(nv) => onChange(list.map((x, j) => (j === i ? nv : x)))} />
            ) : (
              <FieldControl field={{ ...item, label: `${field.label} ${i + 1}`, path: [...field.path, String(i)] }} value={v} onChange={(nv) => onChange(list.map((x, j) => (j === i ? nv : x)))} />
            )}
          </div>
          {!env.readOnly && (
            <button type="button" aria-label={`Remove ${field.label} ${i + 1}`} className="mt-1 rounded p-1 text-muted hover:text-danger" onClick={() => onChange(list.filter((_, j) => j !== i))}>
              <Trash2 className="size-3.5" />
            </button>
          )}
        </div>
      ))}
      {!env.readOnly && (
        <button type="button" className="flex w-fit items-center gap-1 rounded px-1.5 py-1 text-xs text-accent hover:bg-accent-soft" onClick={() => onChange([...list, empty()])}>
          <Plus className="size-3.5" /> Add {item.label.toLowerCase()}
        </button>
      )}
    </div>
  )
}
