import { z } from 'zod'
import type { NodeType } from '../../define'
import { credentialParam, text } from '../../params'

export const whatsappDownloadMediaParams = z.object({
  credential: credentialParam('The WhatsApp Cloud API credential of the number that received the media'),
  mediaId: text().default('').describe("The media id (empty: the item's media.id, as the WhatsApp trigger gives it)").meta({ ui: 'expression' }),
  fileName: text().default('').describe("The file's name (empty: the sent document's name, else <kind>-<media id> with an extension from its type)").meta({ ui: 'expression' }),
  outputField: z.string().trim().min(1, 'Name the output field').default('file').describe('Field the file reference is written to; the other fields are kept'),
})
export type WhatsAppDownloadMediaParams = z.infer<typeof whatsappDownloadMediaParams>

export const whatsappDownloadMediaNode: NodeType<WhatsAppDownloadMediaParams, 'files'> = {
  type: 'whatsapp-download-media',
  version: 1,
  label: 'WhatsApp: Download media',
  description: 'Stores the image, audio, video, document or sticker a customer sent as a file, for the next steps (an LLM, storage, a reply).',
  icon: 'MessageSquare',
  category: 'communication',
  docs: {
    description: [
      'For each item, asks the Cloud API for the media `mediaId` names (empty: the item\'s `media.id`, as the WhatsApp trigger gives it), downloads it with the credential\'s token and writes a file reference to `outputField`, keeping the other fields. The bytes stream into the file store; the file\'s type is the one WhatsApp reports.',
      'Items without a media id pass through unchanged (a text message in the same workflow). WhatsApp keeps received media for a limited time (30 days): an id it no longer knows fails the step with WhatsApp\'s error (WHATSAPP_100, field `type`); a bad token with WHATSAPP_AUTH_FAILED on `credential`.',
    ].join('\n\n'),
    examples: [
      {
        title: 'The photo a customer sent, as a file',
        params: { credential: 'cred_whatsapp' },
        input: [{ event: 'message', from: '+14155550100', type: 'image', text: 'The damage', media: { kind: 'image', id: '1479537139650973', mimeType: 'image/jpeg', sha256: '…', caption: 'The damage', filename: null } }],
      },
    ],
  },
  params: whatsappDownloadMediaParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['whatsapp'] },
  services: ['files'],
  mode: 'batch',
  load: () => import('./execute'),
}
