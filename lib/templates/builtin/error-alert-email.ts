import { edge, firstVersion, node, slot } from './build'

const failure = {
  execution: { id: 'cm4x2', url: 'https://studio.example.com/executions/cm4x2', mode: 'webhook', retryOf: null, error: { message: 'Request failed with status 502', name: 'NodeError' }, lastNodeExecuted: 'Charge card' },
  workflow: { id: 'cm4w9', name: 'Orders' },
  node: { id: 'charge', name: 'Charge card', type: 'http-request' },
}

export const errorAlertEmail = firstVersion('error-alert-email', {
  name: 'Email the team when a workflow fails',
  description: 'An error workflow: choose it as the "error workflow" in another workflow\'s settings, and every failed run of that workflow emails your team the workflow, the step that failed, the error and a link to the run.',
  category: 'devops',
  tags: ['errors', 'monitoring', 'email', 'alerts'],
  parameters: [
    { name: 'to', label: 'Send to', type: 'string', default: 'team@example.com', required: true },
    { name: 'from', label: 'From', type: 'string', default: 'Auterity <alerts@example.com>' },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['smtp'], label: 'SMTP server' }],
  graph: {
    nodes: [
      node('failed', 'error-trigger', 'A workflow failed', {}, 0),
      node('message', 'set', 'Compose alert', {
        keepOtherFields: false,
        fields: [
          { name: 'subject', value: 'Failed: {{ $json.workflow.name }} at "{{ $json.node.name }}"' },
          { name: 'text', value: '{{ $json.workflow.name }} failed at step "{{ $json.node.name }}" ({{ $json.node.type }}): {{ $json.execution.error.message }}\n\nRun: {{ $json.execution.url }}' },
        ],
      }, 1),
      node('email', 'send-email', 'Email the team', { credential: slot('credential-1'), from: '{{ $param.from }}', to: '{{ $param.to }}', subject: '{{ $json.subject }}', text: '{{ $json.text }}' }, 2),
    ],
    edges: [edge('failed', 'message'), edge('message', 'email')],
  },
  testCases: [{
    name: 'the alert names the workflow, the step and the error',
    input: [failure],
    recorded: { 'Email the team': [{ email: { messageId: '<e1@example.com>', accepted: ['team@example.com'], rejected: [] } }] },
    expect: [{
      node: 'Compose alert',
      equals: [{
        subject: 'Failed: Orders at "Charge card"',
        text: 'Orders failed at step "Charge card" (http-request): Request failed with status 502\n\nRun: https://studio.example.com/executions/cm4x2',
      }],
    }],
  }],
})
