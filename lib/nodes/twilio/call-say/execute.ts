import { NodeError } from '../../../engine/types'
import { isFileRef } from '../../../files/ref'
import { voiceStep } from '../../../messaging/voice-steps'
import { getPath } from '../../paths'
import type { Executor } from '../../define'
import type { CallSayParams } from './definition'

export const execute: Executor<CallSayParams, 'messaging'> = async (ctx) => {
  const run = ctx.services.messaging.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.node.id })
  const fileUrl = (p: CallSayParams, index: number) => {
    if (!p.playFile) return ''
    const ref = getPath(ctx.items[index - ctx.inputOffset], p.playFile, 'playFile')
    if (!isFileRef(ref)) throw new NodeError(`Item ${index}: "${p.playFile}" holds no file to play`, { code: 'NOT_A_FILE', field: 'playFile', details: { item: index } })
    return run.mediaUrl(ref)
  }
  return voiceStep<CallSayParams>({
    build(r, p, { index }) {
      const file = fileUrl(p, index)
      for (let i = 0; i < p.loop; i++) {
        if (p.text) r.say({ voice: p.voice as never, language: p.language as never }, p.text)
        if (p.playUrl) r.play(p.playUrl)
        if (file) r.play(file)
      }
    },
  })(ctx)
}
