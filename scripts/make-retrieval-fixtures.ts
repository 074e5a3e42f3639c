// `npx tsx scripts/make-retrieval-fixtures.ts`: writes tests/fixtures/retrieval/{documents,questions,thesaurus}.json
// from the domain modules in tests/fixtures/retrieval/src (deterministic: the same sources give the same bytes).
import fs from 'node:fs'
import path from 'node:path'
import { buildRetrievalFixtures, serialise } from '../tests/fixtures/retrieval/src'

const dir = path.resolve(import.meta.dirname, '../tests/fixtures/retrieval')
const fixtures = buildRetrievalFixtures()
for (const [name, text] of Object.entries(serialise(fixtures))) fs.writeFileSync(path.join(dir, name), text)
const kinds = (['paraphrase', 'exact', 'mixed'] as const).map((k) => `${fixtures.questions.filter((q) => q.kind === k).length} ${k}`)
console.log(`${fixtures.documents.length} documents, ${fixtures.questions.length} questions (${kinds.join(', ')}), ${Object.keys(fixtures.thesaurus).length} thesaurus words`)
