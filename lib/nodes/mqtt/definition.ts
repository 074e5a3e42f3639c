import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, messageContentMode, text } from '../params'

export const mqttParams = z.object({
  credential: credentialParam('An MQTT credential: the broker URL, user and password'),
  topic: text().default('').describe('The topic, e.g. sensors/{{ $json.room }}/temperature (no wildcards)').meta({ ui: 'expression' }),
  contentMode: messageContentMode(),
  contentField: z.string().trim().default('').describe('The field sent as the message, e.g. "reading" (empty: the whole item; required with text)'),
  qos: z.coerce
    .number()
    .int()
    .pipe(z.union([z.literal(0), z.literal(1), z.literal(2)]))
    .default(1)
    .describe('Quality of service: 0 at most once (no acknowledgement), 1 at least once (the broker acknowledges), 2 exactly once').meta({ title: 'Quality of service (QoS)' }),
  retain: z.boolean().default(false).describe('The broker keeps the message as the topic\'s last value and hands it to every new subscriber'),
  outputField: z.string().trim().min(1, 'Name the output field').default('published').describe('Field the result is written to: { topic, qos, retain }; the other fields are kept'),
})
export type MqttParams = z.infer<typeof mqttParams>

export const mqttNode: NodeType<MqttParams, 'network'> = {
  type: 'mqtt',
  version: 1,
  label: 'MQTT',
  description: 'Publishes one message per item to an MQTT topic, with QoS 0, 1 or 2 and retain.',
  icon: 'Send',
  category: 'communication',
  docs: {
    description: [
      'Publishes one message per item to `topic` on the broker of an *MQTT* credential and writes `{ topic, qos, retain }` to `outputField`, keeping the other fields. The messages of a page share one connection, closed after it.',
      'With QoS 1 or 2 the step waits for the broker\'s acknowledgement of every message; QoS 0 sends and forgets. `retain` makes the message the topic\'s last value, handed to every new subscriber. The message is the item as JSON, one field of it as JSON (`contentField`), or the text of a field (`contentMode` text).',
      'The host is checked against the outbound network policy before connecting (private and loopback hosts need AUTERITY_HTTP_ALLOWLIST or AUTERITY_HTTP_ALLOW_PRIVATE). A refused or lost connection fails the step as retryable (MQTT_CONNECTION_FAILED, naming host:port), a refused login as MQTT_AUTH_FAILED naming the credential.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Publish a reading, kept as the topic\'s last value',
        params: { credential: 'cred_mqtt', topic: 'sensors/{{ $json.room }}/temperature', contentMode: 'text', contentField: 'celsius', retain: true },
        input: [{ room: 'lab', celsius: 21.5 }],
        output: { main: [{ room: 'lab', celsius: 21.5, published: { topic: 'sensors/lab/temperature', qos: 1, retain: true } }] },
      },
    ],
  },
  params: mqttParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['mqtt'] },
  services: ['network'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
