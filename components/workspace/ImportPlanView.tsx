'use client'
// A workspace import's report, as a plan before it runs (with a choice per name conflict) and as its outcome. Every
// line is text: names come from the file, and React escapes them.
import Link from 'next/link'
import { AlertTriangle, CheckCircle2, KeyRound } from 'lucide-react'
import { Badge, Select, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import type { PlannedEntry, Resolution } from '@/lib/services/workspace-file'
import type { WorkspaceImportReport } from '@/lib/services/workspace-transfer'

/** `workflow:<name>` / `template:<name>` → the choice made. */
export type Choices = Record<string, Resolution>

const CHOICE_LABELS: Record<Resolution, string> = {
  skip: 'Skip: keep the one here',
  rename: 'Rename: import as a copy',
  replace: 'Replace: add the file\'s versions to the one here',
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`

function Notes({ title, hint, lines }: { title: string; hint: string; lines: string[] }) {
  if (lines.length === 0) return null
  return (
    <section className="rounded-md border border-line bg-panel-2 p-3" aria-label={title}>
      <h3 className="flex items-center gap-2 font-medium text-warn">
        <AlertTriangle className="size-4" /> {title} ({lines.length})
      </h3>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {lines.map((line) => <li key={line} className="break-words">{line}</li>)}
      </ul>
      <p className="mt-2 text-xs text-muted">{hint}</p>
    </section>
  )
}

/** What cannot come across as it is, in both the plan and the outcome. */
function Problems({ report }: { report: WorkspaceImportReport }) {
  const nodes = (list: Array<{ name: string }>) => list.map((n) => n.name).join(', ')
  return (
    <>
      <Notes
        title="Unknown node types"
        hint="Kept as they are; those workflows cannot run until the nodes are replaced or removed."
        lines={report.unknownNodeTypes.map((u) => `${u.name}: ${u.type}${u.reason === 'unknown-version' ? ` v${u.typeVersion}` : ''} — ${nodes(u.nodes)}`)}
      />
      <Notes
        title="Sub-workflows not found"
        hint="Pick the workflow to run in these Execute Workflow nodes."
        lines={report.missingWorkflows.map((m) => `${m.workflow}: ${m.workflowId} — ${nodes(m.nodes)}`)}
      />
      <Notes title="Settings left out" hint="Set them again in the workflow settings." lines={report.droppedSettings.map((d) => `${d.workflow}: ${d.key} (${d.reason})`)} />
    </>
  )
}

function Credentials({ report }: { report: WorkspaceImportReport }) {
  if (report.credentials.length === 0) return null
  return (
    <section aria-label="Credentials" className="flex flex-col gap-1.5">
      <h3 className="flex items-center gap-2 font-medium"><KeyRound className="size-4" /> Credentials</h3>
      <ul className="flex flex-col gap-1">
        {report.credentials.map((c) => (
          <li key={c.ref} className="flex flex-wrap items-center gap-2" data-testid="credential-mapping">
            {c.status === 'mapped' ? <Badge tone="success">mapped</Badge> : <Badge tone="warning">missing</Badge>}
            <span className="font-medium">{c.name ?? 'A deleted credential'}</span>
            <span className="text-muted">({c.kind ?? 'type unknown'})</span>
            {c.status === 'missing' && (
              <span className="text-muted">
                {c.reason === 'ambiguous' ? '— several here have this name and type' : '— none here has this name and type'}
                {c.usedBy.length > 0 && `; removed from ${c.usedBy.map((u) => `${u.workflow} (${u.nodes.join(', ')})`).join(', ')}`}
              </span>
            )}
          </li>
        ))}
      </ul>
      {report.credentials.some((c) => c.status === 'missing') && <p className="text-xs text-muted">Create missing ones in Settings → Credentials with the same name and type before importing, or pick them in the nodes afterwards.</p>}
    </section>
  )
}

export function ImportPlanView({ report, choices, onChoose }: { report: WorkspaceImportReport; choices: Choices; onChoose: (key: string, value: Resolution) => void }) {
  const entries = [...report.workflows, ...report.templates]
  const creates = entries.filter((e) => e.action === 'create').length
  const existing = entries.length - creates
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="import-plan">
      <p className="flex items-center gap-2">
        <CheckCircle2 className="size-4 text-ok" />
        The file holds {count(report.workflows.length, 'workflow')} and {count(report.templates.length, 'template')}: {creates} new
        {existing > 0 ? `, ${existing} named like one here` : ''}. Nothing is saved yet.
      </p>
      {report.conflicts.length > 0 && (
        <section aria-label="Name conflicts" className="flex flex-col gap-2">
          <h3 className="font-medium">Already here ({report.conflicts.length})</h3>
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>What to do</Th>
              </tr>
            </THead>
            <TBody>
              {report.conflicts.map((c) => {
                const key = `${c.type}:${c.name}`
                return (
                  <Tr key={key} data-testid="conflict-row">
                    <Td className="font-medium">{c.name}</Td>
                    <Td><Badge>{c.type}</Badge></Td>
                    <Td>
                      <Select
                        aria-label={`What to do with ${c.type} ${c.name}`}
                        placeholder="Choose…"
                        value={choices[key] ?? ''}
                        options={c.choices.map((value) => ({ value, label: CHOICE_LABELS[value] }))}
                        onChange={(e) => onChoose(key, e.target.value as Resolution)}
                      />
                    </Td>
                  </Tr>
                )
              })}
            </TBody>
          </Table>
        </section>
      )}
      <Credentials report={report} />
      <Problems report={report} />
    </div>
  )
}

const ACTION_LABELS: Record<PlannedEntry['action'], string> = { create: 'created', rename: 'created as a copy', replace: 'versions added', skip: 'skipped', conflict: 'not imported' }

export function ImportOutcomeView({ report }: { report: WorkspaceImportReport }) {
  const done = (list: PlannedEntry[]) => list.filter((e) => e.action !== 'skip').length
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="import-outcome" role="status">
      <p className="flex items-center gap-2 font-medium">
        <CheckCircle2 className="size-4 text-ok" /> Imported {count(done(report.workflows), 'workflow')} and {count(done(report.templates), 'template')}.
      </p>
      <ul className="flex flex-col gap-1">
        {report.workflows.map((w) => (
          <li key={w.ref} className="flex items-center gap-2">
            <Badge tone={w.action === 'skip' ? 'neutral' : 'success'}>{ACTION_LABELS[w.action]}</Badge>
            {w.id && w.action !== 'skip' ? <Link href={`/workflows/${w.id}`} className="text-accent hover:underline">{w.as}</Link> : <span>{w.as}</span>}
            <span className="text-muted">{count(w.versions, 'version')}</span>
          </li>
        ))}
        {report.templates.map((t) => (
          <li key={t.ref} className="flex items-center gap-2">
            <Badge tone={t.action === 'skip' ? 'neutral' : 'success'}>{ACTION_LABELS[t.action]}</Badge>
            <span>{t.as}</span>
            <span className="text-muted">template, {count(t.versions, 'version')}</span>
          </li>
        ))}
      </ul>
      <Credentials report={report} />
      <Problems report={report} />
    </div>
  )
}
