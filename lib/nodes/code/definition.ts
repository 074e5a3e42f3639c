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
    description: [
      'Runs JavaScript in an isolated sandbox (isolated-vm) with no `require`, no network, no file system and no `process`, within a time and a memory limit. Once for all items (`items`) or once per item (`item`, `$json`, `index`); return an array of objects (per item: an object or an array).',
      '',
      '`source` is the body of an async function: use `return`, and `await` if you like (the default maps the items).',
      'In `runOnceForAllItems` mode `items` holds every input item; in `runOnceForEachItem` mode the code runs per item',
      'with `item` (also `$json`) and `index`. Also in scope: `$execution` (`id`, `attempt`), `$workflow` (`id`), `$node`',
      '(`id`, `name`), `$input` (`all()`, `first()`, `last()` in all-items mode). `console.log/info/warn/error` lines go',
      'to the step log.',
      '',
      'Workers run the code in a child process, so a run that blows its memory limit fails with `SANDBOX_MEMORY_LIMIT`',
      'and costs that child a restart, nothing else; `items` and the result cross as JSON (dates arrive as ISO strings).',
      '',
      'Return an **array of objects** (one output item each) or **one object** (one item). n8n-style items',
      '`{ json: {…} }` are unwrapped. Anything else fails the step with a message saying what came back, e.g.',
      '`Code must return an array of objects (or one object), but returned a number (42)`. In per-item mode,',
      'returning `[]` drops the item. Errors in the code (thrown errors, syntax errors, time or memory limits) are',
      'not retried.',
      '',
      '```js',
      '// runOnceForAllItems: total per customer',
      'const totals = {}',
      'for (const o of items) totals[o.customer] = (totals[o.customer] ?? 0) + o.amount',
      'return Object.entries(totals).map(([customer, total]) => ({ customer, total }))',
      '```',
    ].join('\n'),
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
