import { z } from 'zod'
import type { NodeType } from '../../define'
import { credentialParam } from '../../params'

export const callTriggerParams = z.object({
  credential: credentialParam('The Twilio credential of the account that owns the number: its auth token checks every request'),
  number: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{7,14}$/, 'Your Twilio number in E.164 form, e.g. +14155550100')
    .describe('The Twilio number callers dial, in E.164 form (e.g. +14155550100)'),
})
export type CallTriggerParams = z.infer<typeof callTriggerParams>

/** The item a call's run starts with. */
export interface CallItem {
  callId: string
  callSid: string
  from: string
  to: string
  [key: string]: unknown
}

export const twilioCallTrigger: NodeType<CallTriggerParams> = {
  type: 'twilio-call-trigger',
  version: 1,
  label: 'On call received',
  description: 'Starts the workflow when someone calls your Twilio number; the call steps that follow answer the call.',
  icon: 'Phone',
  category: 'trigger',
  docs: {
    description: [
      'While the workflow is active, every call to `number` starts one run. In the Twilio console set the number\'s *A call comes in* webhook (HTTP POST) to',
      '',
      '`<studio public URL>/api/hooks/twilio/incoming-call/<workflow id>/<this node\'s id>`',
      '',
      'Each request is checked with `X-Twilio-Signature` against the credential\'s auth token and refused (403) otherwise; a request Twilio repeats for the same call (same CallSid) starts no second run, and a call to another number than `number` is refused (404). The run starts with one item:',
      '',
      '```json',
      '{ "callId": "…", "callSid": "CA…", "from": "+14155550123", "to": "+14155550100", "callerCity": "SAN FRANCISCO", "callerCountry": "US" }',
      '```',
      '',
      'and the **Call:** steps after the trigger (Say / Play, Gather input, Record, Dial, Hang up) answer the caller; the first of them is heard as soon as it runs. A call the run leaves without instructions hears a short pause until there are some; when the run ends the call is hung up.',
    ].join('\n'),
    examples: [{ title: 'Answer calls to the support line', params: { credential: 'cred_twilio', number: '+14155550100' } }],
  },
  trigger: { kind: 'messaging' },
  listen: { key: (p: CallTriggerParams) => `twilio:call:${p.number}` },
  hook: { path: '/api/hooks/twilio/incoming-call/{workflowId}/{nodeId}', where: 'Twilio console → Phone Numbers → your number → Voice → "A call comes in": Webhook, HTTP POST' },
  params: callTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['twilio'] },
  load: () => import('./execute'),
}
