// The MQTT broker the MQTT nodes talk to.
import { z } from 'zod'
import { defineCredentialKind } from '../define'

export const mqttCredentialSchema = z.object({
  url: z
    .string()
    .trim()
    .regex(/^mqtts?:\/\/[^/\s]+\/?$/, 'URL must look like mqtt://host:1883 or mqtts://host:8883')
    .meta({ label: 'URL (mqtt://host:1883 or mqtts://host:8883)' }),
  username: z.string().trim().optional().meta({ label: 'Username' }),
  password: z.string().optional().meta({ secret: true, label: 'Password' }),
})

export const mqtt = defineCredentialKind({ name: 'mqtt', label: 'MQTT', schema: mqttCredentialSchema })
