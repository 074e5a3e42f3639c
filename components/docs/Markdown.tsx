// Renders node docs' markdown (see markdown.ts) as React elements, so text stays text whatever it holds.
import { parseInline, parseMarkdown, type Inline } from './markdown'

function Runs({ runs }: { runs: Inline[] }) {
  return (
    <>
      {runs.map((r, i) =>
        r.kind === 'code' ? (
          <code key={i} className="rounded bg-panel-2 px-1 font-mono text-[11px]">{r.text}</code>
        ) : r.kind === 'bold' ? (
          <strong key={i}>{r.text}</strong>
        ) : r.kind === 'em' ? (
          <em key={i}>{r.text}</em>
        ) : (
          r.text
        ),
      )}
    </>
  )
}

/** One line of markdown (`code`, **bold**), for table-like labels. */
export const InlineMarkdown = ({ text }: { text: string }) => <Runs runs={parseInline(text)} />

export function Markdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={`flex flex-col gap-2 text-xs leading-5 ${className ?? ''}`}>
      {parseMarkdown(source).map((b, i) => {
        if (b.kind === 'paragraph') return <p key={i}><Runs runs={b.inlines} /></p>
        if (b.kind === 'list') return <ul key={i} className="list-disc pl-4">{b.items.map((it, j) => <li key={j}><Runs runs={it} /></li>)}</ul>
        if (b.kind === 'code') return <pre key={i} className="overflow-x-auto rounded bg-canvas p-2 font-mono text-[11px]">{b.text}</pre>
        return (
          <div key={i} className="overflow-x-auto">
            <table className="w-full border-collapse text-left">
              <thead><tr>{b.header.map((c, j) => <th key={j} className="border-b border-line px-1 py-0.5 font-semibold"><Runs runs={c} /></th>)}</tr></thead>
              <tbody>
                {b.rows.map((row, j) => (
                  <tr key={j}>{row.map((c, k) => <td key={k} className="border-b border-line px-1 py-0.5 align-top"><Runs runs={c} /></td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      })}
    </div>
  )
}
