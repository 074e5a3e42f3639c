import { aiUsage, edge, firstVersion, modelParam, node, pathParam, webhookItem } from './build'

const mail = webhookItem('invoices', { from: 'billing@acme.example', text: 'Invoice INV-2041 from ACME Ltd. Amount due: 1,250.00 EUR, payable by 15/04/2026.' })
const usage = aiUsage('gpt-4o-mini', 96, 31, 0.00002, 610)
const extracted = { invoiceNumber: 'INV-2041', vendor: 'ACME Ltd', total: 1250, currency: 'EUR', dueDate: '15/04/2026' }

export const aiInvoiceExtract = firstVersion('ai-invoice-extract', {
  name: 'Extract invoice data with an LLM',
  description: 'Reads the text of an invoice (an email body posted to a webhook), has a language model pull out the number, vendor, total, currency and due date, turns the due date into an ISO date, and marks invoices above your approval limit for review.',
  category: 'ai',
  tags: ['ai', 'llm', 'extract', 'invoices', 'finance'],
  parameters: [
    pathParam('invoices'),
    modelParam,
    { name: 'approvalLimit', label: 'Approval limit', type: 'number', default: 1000, description: 'Invoices above this total need a person to approve them' },
    { name: 'dateFormat', label: 'Due date format', type: 'select', default: 'dd/MM/yyyy', options: [{ value: 'dd/MM/yyyy' }, { value: 'MM/dd/yyyy' }, { value: 'yyyy-MM-dd' }] },
  ],
  graph: {
    nodes: [
      node('webhook', 'webhook-trigger', 'Invoice email', { path: '{{ $param.path }}', method: 'POST' }, 0),
      node('extract', 'extract', 'Extract fields', {
        model: '{{ $param.model }}',
        text: '{{ $json.body.text }}',
        fields: [
          { name: 'invoiceNumber', type: 'string', required: true },
          { name: 'vendor', type: 'string' },
          { name: 'total', type: 'number', required: true },
          { name: 'currency', type: 'string' },
          { name: 'dueDate', type: 'string' },
        ],
        instructions: 'Amounts as plain numbers without thousands separators; the due date exactly as written.',
      }, 1),
      node('date', 'date-time', 'Due date as ISO', { operation: 'format', field: 'extracted.dueDate', inputFormat: 'custom', inputPattern: '{{ $param.dateFormat }}', outputFormat: 'isoDate', outputField: 'dueDate' }, 2),
      node('check', 'if', 'Above the limit?', { conditions: [{ left: '{{ $json.extracted.total }}', operator: 'gt', right: '{{ $param.approvalLimit }}' }] }, 3),
      node('review', 'set', 'Needs approval', { keepOtherFields: false, fields: [{ name: 'invoice', value: '{{ $json.extracted.invoiceNumber }}' }, { name: 'total', value: '{{ $json.extracted.total }}' }, { name: 'dueDate', value: '{{ $json.dueDate }}' }, { name: 'approval', value: 'required' }] }, 4, -0.5),
      node('auto', 'set', 'Approved', { keepOtherFields: false, fields: [{ name: 'invoice', value: '{{ $json.extracted.invoiceNumber }}' }, { name: 'total', value: '{{ $json.extracted.total }}' }, { name: 'dueDate', value: '{{ $json.dueDate }}' }, { name: 'approval', value: 'automatic' }] }, 4, 0.5),
    ],
    edges: [edge('webhook', 'extract'), edge('extract', 'date'), edge('date', 'check'), edge('check', 'review', 'true'), edge('check', 'auto', 'false')],
  },
  testCases: [
    {
      name: 'an invoice above the limit needs approval',
      input: [mail],
      recorded: { 'Extract fields': [{ ...mail, extracted, ai: usage }] },
      expect: [
        { node: 'Needs approval', equals: [{ invoice: 'INV-2041', total: 1250, dueDate: '2026-04-15', approval: 'required' }] },
        { node: 'Above the limit?', port: 'false', equals: [] },
      ],
    },
    {
      name: 'a higher limit approves it automatically',
      params: { approvalLimit: 5000 },
      input: [mail],
      recorded: { 'Extract fields': [{ ...mail, extracted, ai: usage }] },
      expect: [{ node: 'Approved', schema: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['invoice', 'total', 'dueDate'], properties: { approval: { const: 'automatic' }, dueDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } } } } }],
    },
  ],
})
