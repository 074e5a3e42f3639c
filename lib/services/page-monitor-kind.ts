// Activation's check for Page Changed triggers (kind 'monitor'): the interval is at least the workspace minimum
// (lib/env `browser.monitorMinIntervalMs`), refused naming `every`.
import { ValidationError } from '../errors'
import { monitorIntervalMs, pageMonitorParams } from '../nodes/browser/page-monitor/definition'
import type { TriggerKindHandler } from './trigger-kinds'

const seconds = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`)

export function pageMonitorKind(minIntervalMs: () => number): TriggerKindHandler {
  return {
    check(spec) {
      const p = pageMonitorParams.parse(spec.config)
      const every = monitorIntervalMs(p)
      const min = minIntervalMs()
      if (every < min) {
        const path = `graph.nodes.${spec.nodeIndex}.params.every`
        const message = `Checking every ${seconds(every)} is more often than this workspace allows (at most once every ${seconds(min)})`
        throw new ValidationError(`${path}: ${message}`, { [path]: message })
      }
    },
  }
}
