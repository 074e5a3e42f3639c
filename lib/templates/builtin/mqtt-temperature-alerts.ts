import { edge, firstVersion, node, slot } from './build'

const reading = (room: string, celsius: number) => ({ content: celsius, topic: `sensors/${room}/temperature`, retain: false, qos: 1, dup: false })

export const mqttTemperatureAlerts = firstVersion('mqtt-temperature-alerts', {
  name: 'Email alerts for MQTT sensor readings',
  description: 'Subscribes to sensor readings on an MQTT topic (one reading per message), sorts them into critical, warning and normal by your thresholds, emails the on-call address for critical readings and republishes warnings to an MQTT topic for dashboards.',
  category: 'devops',
  tags: ['mqtt', 'iot', 'broker', 'email', 'alerts', 'switch'],
  parameters: [
    { name: 'topic', label: 'Readings topic', type: 'string', default: 'sensors/+/temperature', required: true },
    { name: 'critical', label: 'Critical at (°C)', type: 'number', default: 40, required: true },
    { name: 'warning', label: 'Warning at (°C)', type: 'number', default: 30, required: true },
    { name: 'alertTo', label: 'Alert email', type: 'string', default: 'oncall@example.com', required: true },
    { name: 'from', label: 'From', type: 'string', default: 'Sensors <sensors@example.com>' },
    { name: 'warningTopic', label: 'Warnings topic', type: 'string', default: 'alerts/temperature' },
  ],
  credentials: [
    { ref: 'credential-1', kinds: ['mqtt'], label: 'MQTT broker' },
    { ref: 'credential-2', kinds: ['smtp'], label: 'SMTP server' },
  ],
  graph: {
    nodes: [
      node('readings', 'mqtt-trigger', 'Sensor readings', { credential: slot('credential-1'), topic: '{{ $param.topic }}', content: 'auto' }, 0),
      node('room', 'set', 'Room and reading', { keepOtherFields: false, fields: [{ name: 'room', value: '{{ $json.topic.split("/")[1] }}' }, { name: 'celsius', value: '{{ $json.content }}', type: 'number' }] }, 1),
      node('level', 'switch', 'Level', {
        mode: 'rules',
        matching: 'firstMatch',
        rules: [
          { left: '{{ $json.celsius }}', operator: 'gte', right: '{{ $param.critical }}', label: 'Critical' },
          { left: '{{ $json.celsius }}', operator: 'gte', right: '{{ $param.warning }}', label: 'Warning' },
        ],
      }, 2),
      node('email', 'send-email', 'Email on-call', {
        credential: slot('credential-2'),
        from: '{{ $param.from }}',
        to: '{{ $param.alertTo }}',
        subject: 'CRITICAL: {{ $json.room }} at {{ $json.celsius }} °C',
        text: 'The {{ $json.room }} sensor reads {{ $json.celsius }} °C (critical from {{ $param.critical }} °C).',
      }, 3, -0.5),
      node('republish', 'mqtt', 'Publish warning', { credential: slot('credential-1'), topic: '{{ $param.warningTopic }}', contentMode: 'json', qos: 1 }, 3, 0.5),
    ],
    edges: [edge('readings', 'room'), edge('room', 'level'), edge('level', 'email', 'out0'), edge('level', 'republish', 'out1')],
  },
  testCases: [
    {
      name: 'a critical reading is emailed',
      input: [reading('server-room', 43.5)],
      recorded: { 'Email on-call': [{ room: 'server-room', celsius: 43.5, email: { messageId: '<a1@example.com>', accepted: ['oncall@example.com'], rejected: [] } }], 'Publish warning': [] },
      expect: [
        { node: 'Level', port: 'out0', equals: [{ room: 'server-room', celsius: 43.5 }] },
        { node: 'Email on-call', schema: { type: 'array', minItems: 1, items: { required: ['email'], properties: { email: { type: 'object', required: ['accepted'] } } } } },
      ],
    },
    {
      name: 'readings are sorted by the thresholds given',
      params: { critical: 50, warning: 25 },
      input: [reading('lab', 43.5), reading('office', 21)],
      recorded: { 'Email on-call': [], 'Publish warning': [{ room: 'lab', celsius: 43.5, published: { topic: 'alerts/temperature', qos: 1, retain: false } }] },
      expect: [
        { node: 'Level', port: 'out1', equals: [{ room: 'lab', celsius: 43.5 }] },
        { node: 'Level', port: 'fallback', equals: [{ room: 'office', celsius: 21 }] },
      ],
    },
  ],
})
