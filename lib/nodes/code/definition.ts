import { z } from 'zod'
import type { NodeType } from '../define'

export const DEFAULT_CODE = `// items: the input items (plain objects). Return an array of objects.
return items.map((item) => ({ ...item, processed: true }))`

export const codeParams = z.object({
  source: z.string().max(200_000).default(DEFAULT_CODE).describe('JavaScript run in an isolated sandbox (no network, no file system)').meta({ ui: 'code' }),
  mode: z
    .enum(['runOnceForAllItems', 'runOnceForEachItem'])
    .default('runOnceForAllItems')
    .describe('All items: `items` holds every item. Each item: runs per item with `item` / `$json` and `index`'),
  timeoutMs: z.coerce.number().int().min(10).max(60_000).default(5_000).describe('Time limit per run'),
  memoryMb: z.coerce.number().int().min(8).max(512).default(64).describe('Heap limit of the sandbox'),
})
export type CodeParams = z.infer<typeof codeParams>

export const codeNode: NodeType<CodeParams> = {
  type: 'code',
  version: 1,
  label: 'Code',
  description: 'Runs your JavaScript on the items in a sandbox with time and memory limits.',
  icon: 'Code',
  category: 'core',
  docs: {
    description: 'Runs JavaScript in an isolate with no network or file system, within a time and memory limit. Once for all items (`items`) or once per item (`item`, `$json`, `index`); return an array of objects (per item: an object or an array).',
    examples: [
      {
        title: 'Double a field on every item',
        params: { source: 'return items.map((item) => ({ ...item, n: item.n * 2 }))' },
        input: [{ n: 1 }, { n: 2 }],
        output: { main: [{ n: 2 }, { n: 4 }] },
      },
    ],
  },
  params: codeParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
