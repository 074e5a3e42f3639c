import { aiUsage, edge, firstVersion, modelParam, node, pathParam, webhookItem } from './build'

// One webhook, two uses: POST files (multipart field "files") to add them to the collection, POST { "question" }
// to ask it. A Switch on the request picks the branch, since a case starts a workflow at its one trigger.
const handbook = { $file: 'f_templateHandbookMd000', name: 'handbook.md', mimeType: 'text/markdown', size: 5120 }
const expenses = { $file: 'f_templateExpensesPdf00', name: 'expenses.pdf', mimeType: 'application/pdf', size: 48213 }
const upload = webhookItem('documents', { files: [handbook, expenses] }, { 'content-type': 'multipart/form-data; boundary=----x' })
const ingested = [
  { collection: 'documents', key: 'handbook.md', documentId: 'cm_handbook', title: 'handbook.md', status: 'added', chunks: 6, tokens: 1980, costUsd: '0.0000396' },
  { collection: 'documents', key: 'expenses.pdf', documentId: 'cm_expenses', title: 'expenses.pdf', status: 'replaced', chunks: 3, tokens: 1012, costUsd: '0.00002024' },
]

const question = webhookItem('documents', { question: 'How many days of leave do I get, and can I carry them over?' })
const citations = [
  { number: 1, chunkId: 'cm_handbook:2', documentId: 'cm_handbook', documentKey: 'handbook.md', title: 'handbook.md', snippet: 'Everyone gets 28 days of paid leave a year, public holidays included.', score: 0.0328 },
  { number: 3, chunkId: 'cm_handbook:3', documentId: 'cm_handbook', documentKey: 'handbook.md', title: 'handbook.md', snippet: 'Up to five unused days carry over to the next year; the rest expire on 31 March.', score: 0.0311 },
]
const sources = [{ documentKey: 'handbook.md', documentId: 'cm_handbook', title: 'handbook.md', citations: [1, 3], metadata: {} }]
const unclear = webhookItem('documents', { text: 'hello' })
const answer = 'You get 28 days of paid leave a year [1], and up to five unused days carry over to the next year [3].'

export const ragAskDocuments = firstVersion('rag-ask-documents', {
  name: 'Ask your documents (with citations)',
  description:
    'A small document Q&A service on one webhook. POST files (multipart field "files": text, Markdown, HTML or PDF) and they are split, embedded and added to a collection (created on first use with your embedding model); POST { "question": "…" } and a language model answers from the passages it finds, citing them like [1], and the caller gets the answer with its citations and sources.',
  category: 'ai',
  tags: ['ai', 'rag', 'retrieval', 'documents', 'citations', 'webhook'],
  parameters: [
    pathParam('documents'),
    { name: 'collection', label: 'Collection', type: 'string', default: 'documents', required: true, description: 'Where the documents go; created on the first upload' },
    { name: 'embeddingModel', label: 'Embedding model', type: 'string', default: 'embeddings', required: true, description: 'An embedding deployment or route of your AI settings (used when the collection is created)' },
    modelParam,
    { name: 'topK', label: 'Passages per answer', type: 'number', default: 5, required: true },
  ],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Files or a question', { path: '{{ $param.path }}', method: 'POST', responseMode: 'lastNode' }, 0, 1),
      node('route', 'switch', 'Upload or question?', {
        rules: [
          { left: '{{ $json.body.files }}', operator: 'isNotEmpty', label: 'Files' },
          { left: '{{ $json.body.question }}', operator: 'isNotEmpty', label: 'Question' },
        ],
      }, 1, 1),
      node('ingest', 'vector-ingest', 'Ingest Documents', { collection: '{{ $param.collection }}', source: 'file', fileField: 'body.files', embeddingModel: '{{ $param.embeddingModel }}' }, 2, 0),
      node('answer', 'rag-answer', 'Answer with Sources', { collection: '{{ $param.collection }}', question: '{{ $json.body.question }}', model: '{{ $param.model }}', topK: '{{ $param.topK }}' }, 2, 1),
      node('refuse', 'respond-to-webhook', 'Bad request', { respondWith: 'json', statusCode: 400, json: { error: 'POST files (multipart field "files") to add documents, or { "question": "…" } to ask them' } }, 2, 2),
      node('added', 'aggregate', 'Documents added', { aggregate: 'allItemData', destination: 'documents' }, 3, 0),
      node('shape', 'set', 'Answer', {
        keepOtherFields: false,
        fields: [
          { name: 'answer', value: '{{ $json.answer }}' },
          { name: 'citations', value: '{{ $json.citations }}' },
          { name: 'sources', value: '{{ $json.sources }}' },
        ],
      }, 3, 1),
      node('replyAdded', 'respond-to-webhook', 'Reply: added', { respondWith: 'firstItem', statusCode: 200 }, 4, 0),
      node('reply', 'respond-to-webhook', 'Reply: answer', { respondWith: 'firstItem', statusCode: 200 }, 4, 1),
    ],
    // One line per branch of the Switch.
    edges: [
      edge('webhook', 'route'),
      ...[edge('route', 'ingest', 'out0'), edge('ingest', 'added'), edge('added', 'replyAdded')],
      ...[edge('route', 'answer', 'out1'), edge('answer', 'shape'), edge('shape', 'reply')],
      edge('route', 'refuse', 'fallback'),
    ],
  },
  testCases: [
    {
      name: 'uploaded files are added and the caller hears what happened to each',
      input: [upload],
      recorded: { 'Ingest Documents': ingested, 'Answer with Sources': [] },
      expect: [{ node: 'Reply: added', equals: [{ documents: ingested }] }],
    },
    {
      name: 'a question is answered with the passages it cites and their documents',
      input: [question],
      recorded: { 'Ingest Documents': [], 'Answer with Sources': [{ ...question, answer, citations, sources, found: 5, ai: { ...aiUsage('gpt-4o-mini', 1240, 31, 0.0002, 910), modelCalls: 1 } }] },
      expect: [{ node: 'Reply: answer', equals: [{ answer, citations, sources }] }],
    },
    {
      name: 'a request with neither files nor a question gets a 400',
      input: [unclear],
      recorded: { 'Ingest Documents': [], 'Answer with Sources': [] },
      expect: [{ node: 'Bad request', equals: [unclear] }],
    },
  ],
})
