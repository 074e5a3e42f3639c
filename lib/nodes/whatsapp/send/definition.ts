import { z } from 'zod'
import { WHATSAPP_LIMITS, WHATSAPP_MESSAGE_TYPES } from '../../../messaging/whatsapp-message'
import type { NodeType } from '../../define'
import { credentialParam, labelledEnum, text } from '../../params'

const L = WHATSAPP_LIMITS

export const whatsappSendParams = z.object({
  credential: credentialParam('A WhatsApp Cloud API credential: the phone number ID that sends and its access token'),
  to: text().default('').describe("The customer's phone number with its country code, e.g. +14155550100 (a wa_id such as 14155550100 works too)").meta({ ui: 'expression' }),
  type: z.enum(WHATSAPP_MESSAGE_TYPES).meta({ optionLabels: { text: 'Text', image: 'Image', document: 'Document', audio: 'Audio', video: 'Video', buttons: 'Reply buttons', list: 'List', location: 'Location', template: 'Template' } }).default('text').describe('What to send: text, image, document, audio, video, buttons (reply buttons), list, location, or template (an approved template: the only type allowed outside the 24-hour window)'),
  text: text().default('').describe(`type text, buttons or list: the message (at most ${L.text} characters), or for buttons and list the body above the choices (at most ${L.interactiveBody})`).meta({ ui: 'textarea' }),
  previewUrl: z.boolean().default(false).describe('type text: show a preview of the first link in the message'),
  mediaSource: labelledEnum({ file: 'A file from the item', url: 'A public URL' }).default('file').describe('type image, document, audio or video: a file from the item (uploaded to WhatsApp first) or a public URL WhatsApp fetches'),
  fileField: z.string().trim().default('file').describe('mediaSource file: the item field holding the file, e.g. "file" (image: JPEG or PNG up to 5 MB; audio and video: up to 16 MB; documents: up to 100 MB)'),
  mediaUrl: text().default('').describe('mediaSource url: the public https URL of the media').meta({ ui: 'expression' }),
  caption: text().default('').describe(`type image, document or video: text shown with the media (at most ${L.caption} characters)`),
  filename: text().default('').describe("type document: the file name the customer sees (empty: the file's own name)"),
  header: text().default('').describe(`type buttons or list: a bold line above the body (at most ${L.headerText} characters)`),
  footer: text().default('').describe(`type buttons or list: a grey line under the body (at most ${L.footerText} characters)`),
  buttons: z
    .array(z.object({ id: text().describe('Comes back in the reply (at most 256 characters)'), title: text().describe(`Shown on the button (at most ${L.buttonTitle} characters)`) }))
    .default([])
    .describe(`type buttons: 1 to ${L.buttons} reply buttons; the customer's choice arrives at the WhatsApp trigger as reply.id and reply.title`),
  listButton: text().default('').describe(`type list: the label of the button that opens the list (at most ${L.listButton} characters)`),
  sections: z
    .array(
      z.object({
        title: text().default('').describe(`Section heading (at most ${L.sectionTitle} characters; needed when there are several sections)`),
        rows: z.array(z.object({ id: text().describe('Comes back in the reply'), title: text().describe(`At most ${L.rowTitle} characters`), description: text().default('').describe(`At most ${L.rowDescription} characters`) })).default([]),
      }),
    )
    .default([])
    .describe(`type list: up to ${L.sections} sections holding ${L.rows} rows in all`),
  latitude: text().default('').describe('type location: latitude, -90 to 90').meta({ ui: 'expression' }),
  longitude: text().default('').describe('type location: longitude, -180 to 180').meta({ ui: 'expression' }),
  locationName: text().default('').describe('type location: the place\'s name'),
  address: text().default('').describe('type location: the place\'s address'),
  templateName: text().default('').describe('type template: the approved template\'s name, e.g. order_update'),
  templateLanguage: text().default('en_US').describe('type template: the language of the approved translation, e.g. en_US'),
  bodyParameters: z.array(text()).default([]).describe('type template: the values of the body\'s {{1}}, {{2}}… in order'),
  headerParameters: z.array(text()).default([]).describe('type template: the values of a text header\'s {{1}}… in order'),
  checkWindow: z.boolean().default(true).describe('Refuse a free-form message (any type but template) when the customer has not written in the last 24 hours, before calling WhatsApp'),
  outputField: z.string().trim().min(1, 'Name the output field').default('whatsapp').describe('Field the result is written to: messageId, wamid, status, to; the other fields are kept'),
})
export type WhatsAppSendParams = z.infer<typeof whatsappSendParams>

export const whatsappSendNode: NodeType<WhatsAppSendParams, 'messaging' | 'files'> = {
  type: 'whatsapp-send',
  version: 1,
  label: 'WhatsApp: Send',
  description: 'Sends one WhatsApp message per item through the Cloud API: text, media, reply buttons, lists, a location or an approved template.',
  icon: 'MessageSquare',
  category: 'communication',
  docs: {
    description: [
      'Sends one message per item from the phone number of a *WhatsApp Cloud API* credential and writes `{ messageId, wamid, status, to, type }` to `outputField`, keeping the other fields. `messageId` is the studio\'s record of the message (its statuses — accepted, sent, delivered, read, failed — arrive through the WhatsApp trigger\'s webhook); `wamid` is WhatsApp\'s id.',
      '**Types.** `text` (up to 4096 characters, `previewUrl` for a link preview); `image`, `document`, `audio`, `video` from a file in the item (`fileField`: uploaded to WhatsApp\'s media endpoint, then sent by id) or from `mediaUrl`, with `caption` (not for audio) and, for documents, `filename`; `buttons` (1 to 3 reply buttons, titles of at most 20 characters) and `list` (a `listButton` opening up to 10 rows across up to 10 sections) with `text` as the body and optional `header` and `footer`; `location`; `template` (an approved template by `templateName` and `templateLanguage`, with `bodyParameters` and `headerParameters` filling its {{1}}, {{2}}…).',
      '**Limits.** Every limit is checked before anything is sent, and a message over one fails the step naming the field and the item: a 10,000-character text (WHATSAPP_TOO_LONG, `text`), a fourth button (WHATSAPP_TOO_MANY_BUTTONS), an image over 5 MB (WHATSAPP_MEDIA_TOO_LARGE, `fileField`; audio and video 16 MB, documents 100 MB), a number that is not a phone number with its country code (INVALID_PHONE_NUMBER, `to`).',
      '**The 24-hour window.** WhatsApp lets a business send free-form messages only within 24 hours of the customer\'s last message to it. With `checkWindow` on (the default) the step looks up when the customer last wrote (the WhatsApp trigger records every inbound message) and, for any type but `template`, fails with WHATSAPP_WINDOW_CLOSED (field `type`) saying when the customer last wrote, or that they never did, and that only an approved template can be sent. WhatsApp\'s own refusal (Graph error 131047) fails the same way.',
      '**Sent once.** Each message is recorded under the step\'s idempotency key, the item\'s index and the recipient: a retried step or a re-delivered job finds the messages it already sent and does not send them again. Recipients on the workspace\'s WhatsApp opt-out list are skipped (`status: "skipped"`, nothing sent). Throttling (Graph 4, 130429…), 429 and 5xx answers are retryable; other refusals fail the step and mark the message failed with WhatsApp\'s code.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Answer a customer with reply buttons',
        params: {
          credential: 'cred_whatsapp', to: '{{ $json.from }}', type: 'buttons', text: 'Did this answer your question?',
          buttons: [{ id: 'yes', title: 'Yes, thanks' }, { id: 'agent', title: 'Talk to a person' }],
        },
        input: [{ from: '+14155550100', text: 'Where is my order?' }],
        output: { main: [{ from: '+14155550100', text: 'Where is my order?', whatsapp: { messageId: 'cmmsg01', wamid: 'wamid.HBgLMTQxNTU1NTAxMDAVAgARGBI', status: 'accepted', to: '+14155550100', type: 'buttons' } }] },
      },
      {
        title: 'An order update outside the window: an approved template',
        params: { credential: 'cred_whatsapp', to: '{{ $json.phone }}', type: 'template', templateName: 'order_update', templateLanguage: 'en_US', bodyParameters: ['{{ $json.name }}', '{{ $json.order }}'] },
        input: [{ phone: '+14155550100', name: 'Ada', order: 'A-17' }],
      },
    ],
  },
  params: whatsappSendParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['whatsapp'] },
  services: ['messaging', 'files'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
