// Example JSON for docs/nodes.md and the inspector's Docs tab; its own module so the studio bundles only this.

/** JSON on one line when short, else one line per element or key: examples stay readable without scrolling. */
export function compactJson(value: unknown, width = 100): string {
  const flat = JSON.stringify(value)
  if (flat.length <= width || value === null || typeof value !== 'object') return flat
  const lines = Array.isArray(value) ? value.map((v) => JSON.stringify(v)) : Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  return `${open}\n${lines.map((l) => `  ${l}`).join(',\n')}\n${close}`
}
