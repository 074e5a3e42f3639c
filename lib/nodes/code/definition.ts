import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const DEFAULT_CODE = `// items: the input items (plain objects). Return an array of objects.
return items.map((item) => ({ ...item, processed: true }))`

export const codeParams = z.object({
  source: z.string().max(200_000).default(DEFAULT_CODE).describe('JavaScript run in an isolated sandbox (no network, no file system)').meta({ ui: 'code' }),
  mode: labelledEnum({ runOnceForAllItems: 'Run once for all items', runOnceForEachItem: 'Run once for each item' })
    .default('runOnceForAllItems')
    .describe('All items: runs once per page of up to 1,000 items with `items`, `$page` and `$state`. Each item: runs per item with `item` / `$json` and `index`'),
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
      'Runs JavaScript in an isolated sandbox (isolated-vm) with no `require`, no network, no file system and no `process`, within a time and a memory limit. Once per page of items (`items`, with `$page` and a `$state` object kept across pages) or once per item (`item`, `$json`, `index`); return an array of objects (per item: an object or an array). Works page by page, so a million items never sit in memory at once.',
      '',
      '`source` is the body of an async function: use `return`, and `await` if you like (the default maps the items).',
      'Also in scope: `$execution` (`id`, `attempt`), `$workflow` (`id`), `$node` (`id`, `name`). `console.log/info/warn/error`',
      'lines go to the step log.',
      '',
      '**Run once for all items** (`runOnceForAllItems`) runs the code once per page of input items (up to 1,000: the run\'s',
      'page size). An input that fits in one page, the usual case, is one run with every item in `items`, as in n8n. A',
      'bigger input is several runs, one per page, and each run\'s returned items are output in turn. What the code sees:',
      '',
      '| name | what |',
      '|---|---|',
      '| `items`, `$input.all()` / `first()` / `last()` | the items of this page |',
      '| `$page.index` | this page\'s number, from 0 |',
      '| `$page.offset` | position of `items[0]` in the whole input |',
      '| `$page.count` / `$page.total` | items in this page / in the whole input |',
      '| `$page.isFirst` / `$page.isLast` | the first / the last page (both when everything fits in one page, also with no items) |',
      '| `$state` | an object shared by the pages of one step (starts as `{}`): keep running totals here, not the items |',
      '',
      '`$state` crosses in and out of the sandbox as JSON on every page: keep it a digest (totals, counts, a set of keys),',
      'not a copy of the input. Code that must see every item at once (a sort, a median) does not scale this way: use',
      'the Sort, Aggregate or Summarize nodes, or keep what you need in `$state` and finish on the last page.',
      '',
      '**Run once for each item** (`runOnceForEachItem`) runs the code per item with `item` (also `$json`) and `index` (its',
      'position in the whole input). The items of a page are sent to the sandbox together and run one after another, so',
      '`timeoutMs` still applies to each item.',
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
      '// runOnceForAllItems: total per customer over any number of items',
      'for (const o of items) $state[o.customer] = ($state[o.customer] ?? 0) + o.amount',
      'if (!$page.isLast) return []',
      'return Object.entries($state).map(([customer, total]) => ({ customer, total }))',
      '```',
    ].join('\n'),
    examples: [
      {
        title: 'Double a field on every item',
        params: { source: 'return items.map((item) => ({ ...item, n: item.n * 2 }))' },
        input: [{ n: 1 }, { n: 2 }],
        output: { main: [{ n: 2 }, { n: 4 }] },
      },
      {
        title: 'Total per customer, whatever the number of pages',
        params: {
          source: [
            'for (const o of items) $state[o.customer] = ($state[o.customer] ?? 0) + o.amount',
            'if (!$page.isLast) return []',
            'return Object.entries($state).map(([customer, total]) => ({ customer, total }))',
          ].join('\n'),
        },
        input: [{ customer: 'Ann', amount: 10 }, { customer: 'Bob', amount: 5 }, { customer: 'Ann', amount: 20 }],
        output: { main: [{ customer: 'Ann', total: 30 }, { customer: 'Bob', total: 5 }] },
      },
    ],
  },
  params: codeParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
