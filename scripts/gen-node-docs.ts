// `npm run docs:nodes`: writes docs/nodes.md from the node definitions (see lib/docs/node-reference.ts).
import fs from 'node:fs'
import path from 'node:path'
import { NODE_DOCS, nodeReferenceMarkdown } from '../lib/docs/node-reference'
import { nodeCatalogue } from '../lib/nodes/catalogue'

const root = path.resolve(import.meta.dirname, '..')
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8')
const text = nodeReferenceMarkdown(nodeCatalogue(), read(NODE_DOCS.intro), read(NODE_DOCS.appendix))
fs.writeFileSync(path.join(root, NODE_DOCS.output), text)
console.log(`wrote ${NODE_DOCS.output} (${nodeCatalogue().length} node types)`)
