import { edge, firstVersion, node } from './build'

export const subworkflowCleanContacts = firstVersion('subworkflow-clean-contacts', {
  name: 'Clean a contact list (reusable sub-workflow)',
  description: 'A sub-workflow other workflows call with Execute Workflow: it trims and lower-cases emails, splits full names, drops contacts without a valid email and duplicates, and returns the list sorted by last name. Call it before any import.',
  category: 'data',
  tags: ['sub-workflow', 'contacts', 'cleanup', 'code', 'deduplicate'],
  parameters: [{ name: 'defaultCountry', label: 'Default country', type: 'string', default: 'DE', description: 'Set on contacts that have none' }],
  graph: {
    nodes: [
      node('input', 'execute-workflow-trigger', 'Contacts in', { inputSource: 'schema', fields: [{ name: 'email', type: 'string', required: true }, { name: 'name', type: 'string' }, { name: 'country', type: 'string' }] }, 0),
      node('clean', 'code', 'Clean fields', {
        mode: 'runOnceForEachItem',
        source: [
          'const email = String(item.email ?? "").trim().toLowerCase()',
          'const parts = String(item.name ?? "").trim().split(/\\s+/).filter(Boolean)',
          'return { email, firstName: parts.slice(0, -1).join(" ") || parts[0] || "", lastName: parts.length > 1 ? parts[parts.length - 1] : "", country: item.country || null }',
        ].join('\n'),
      }, 1),
      node('country', 'set', 'Default country', { fields: [{ name: 'country', value: '{{ $json.country ?? $param.defaultCountry }}' }] }, 2),
      node('valid', 'filter', 'Valid email', { conditions: [{ left: '{{ $json.email }}', operator: 'regex', right: '/^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$/' }] }, 3),
      node('dedupe', 'remove-duplicates', 'Once per email', { compare: 'selectedFields', fields: ['email'], history: 'run' }, 4),
      node('sort', 'sort', 'By last name', { sortBy: [{ field: 'lastName', order: 'asc' }, { field: 'firstName', order: 'asc' }] }, 5),
    ],
    edges: [edge('input', 'clean'), edge('clean', 'country'), edge('country', 'valid'), edge('valid', 'dedupe'), edge('dedupe', 'sort')],
  },
  testCases: [{
    name: 'cleans, drops and sorts',
    input: [
      { email: ' Grace.Hopper@Navy.MIL ', name: 'Grace Brewster Hopper', country: 'US' },
      { email: 'ada@example.com', name: 'Ada Lovelace' },
      { email: 'not-an-email', name: 'Nobody' },
      { email: 'ADA@example.com', name: 'Ada King' },
    ],
    expect: [{
      node: 'By last name',
      equals: [
        { email: 'grace.hopper@navy.mil', firstName: 'Grace Brewster', lastName: 'Hopper', country: 'US' },
        { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', country: 'DE' },
      ],
    }],
  }],
})
