import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const mqttTriggerParams = z.object({
  credential: z.string({ error: 'Choose an MQTT credential' }).min(1, 'Choose an MQTT credential').describe('An MQTT credential: the broker URL, user and password').meta({ ui: 'credential' }),
  topic: z
    .string()
    .trim()
    .min(1, 'Name the topic')
    .max(500)
    .refine((t) => t.split('/').every((level, i, all) => (level.includes('#') ? level === '#' && i === all.length - 1 : !level.includes('+') || level === '+')), '"+" stands for a whole level and "#" only for the last one')
    .describe('The topic filter, e.g. sensors/+/temperature or sensors/#'),
  clientId: z
    .string()
    .trim()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/, 'Use letters, digits, "-" and "_"')
    .default('')
    .describe('The client id of the persistent session (empty: one derived from the workflow and node, stable across workers and restarts)'),
  deadLetterTopic: z.string().trim().max(500).regex(/^[^#+]*$/, 'No wildcards').default('').describe('Where messages that cannot start a run are published, as they came (empty: they are dropped and logged)'),
  content: labelledEnum({ json: 'JSON', text: 'Text', auto: 'Automatic (JSON when it parses)' }).default('json').describe('json: the message must be JSON (else it goes to the dead letter); text: taken as text; auto: parsed when it is JSON'),
  maxDeliveries: z.coerce.number().int().min(1).max(100).default(5).describe('A message whose run could not be started after this many tries goes to the dead letter (1 to 100)'),
})
export type MqttTriggerParams = z.infer<typeof mqttTriggerParams>

export const mqttTrigger: NodeType<MqttTriggerParams> = {
  type: 'mqtt-trigger',
  version: 1,
  label: 'MQTT Trigger',
  description: 'Starts the workflow for each message on an MQTT topic filter (QoS 1, persistent session); acknowledged once its run is recorded.',
  icon: 'Inbox',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, one worker (across all workers) subscribes to `topic` with QoS 1 in a persistent session (clean: false, a stable client id) and starts one run per message. The broker\'s message is acknowledged (PUBACK) only once the run is recorded, and the session keeps what arrives while no worker is connected: a worker that stops before the acknowledgement leaves the message to be delivered again, never lost. Messages are taken one at a time, in order.',
      'Output item: `{ content, topic, retain, qos, dup }`; `content` is the body parsed as JSON (`content` json), as text, or parsed when it is JSON (auto). A body that is not JSON while JSON is required cannot start a run: it goes to `deadLetterTopic` (or is dropped and logged) at once. A message whose run could not be started is tried again with a backoff and after `maxDeliveries` tries goes to the dead letter; redeliveries by the broker count too, so a message that makes workers fail ends there instead of looping.',
      'The consumer reconnects with a backoff when the broker restarts or refuses the connection.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Temperature readings from every room',
        params: { credential: 'cred_mqtt', topic: 'sensors/+/temperature', content: 'auto' },
        output: { main: [{ content: 21.5, topic: 'sensors/lab/temperature', retain: false, qos: 1, dup: false }] },
      },
    ],
  },
  trigger: { kind: 'broker' },
  listen: { key: (p: MqttTriggerParams) => `mqtt:${p.topic}` },
  params: mqttTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['mqtt'] },
  load: () => import('./execute'),
}
