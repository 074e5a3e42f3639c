// The import report lists what an import could not carry over; every name in it comes from a file, so it stays text.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { ImportReportView } from '@/components/workflows/ImportWorkflowDialog'
import type { ImportReport } from '@/lib/services/workflow-transfer'

const report: ImportReport = {
  missingCredentials: [{ ref: 'credential-1', kind: 'smtp', name: '<b>Mail</b>', reason: 'not-found', nodes: [{ id: 'n1', name: 'Send <script>x()</script>' }] }],
  unknownNodeTypes: [{ type: 'fax-send', typeVersion: 3, reason: 'unknown-version', nodes: [{ id: 'n2', name: 'Fax' }] }],
  missingWorkflows: [],
  droppedSettings: [{ key: 'errorWorkflowId', value: 'wf1', reason: 'workflow wf1 not found in this workspace' }],
  renamed: { from: 'Digest\u0007', to: 'Digest' },
}

describe('ImportReportView', () => {
  it('shows each non-empty section with the nodes concerned, names as text', () => {
    const html = renderToStaticMarkup(<ImportReportView report={report} />)
    expect(html).toContain('Missing credentials (1)')
    expect(html).toContain('&lt;b&gt;Mail&lt;/b&gt; (smtp) — used by Send &lt;script&gt;x()&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('fax-send v3 (newer than this studio) — Fax')
    expect(html).toContain('errorWorkflowId: workflow wf1 not found in this workspace')
    expect(html).not.toContain('Sub-workflows not in this workspace')
    expect(html).toContain('Named <span class="font-medium text-fg">Digest</span>')
  })
})
