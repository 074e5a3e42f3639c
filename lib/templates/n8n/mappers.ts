// The n8n node types with an equivalent here, by n8n type name. A type not listed becomes a no-op placeholder.
import type { NodeMapper } from './context'
import { agentMapper, chainLlmMapper, openAiMapper } from './nodes/ai'
import { filterMapper, ifMapper, switchMapper } from './nodes/branching'
import { codeMapper, functionItemMapper, functionMapper } from './nodes/code'
import { aggregateMapper, cryptoMapper, dateTimeMapper, htmlMapper, itemListsMapper, limitMapper, removeDuplicatesMapper, sortMapper, splitOutMapper, summarizeMapper, xmlMapper } from './nodes/data'
import { executeWorkflowMapper, noOpMapper, respondToWebhookMapper, splitInBatchesMapper, stopAndErrorMapper, waitMapper } from './nodes/flow'
import { httpRequestMapper } from './nodes/http-request'
import { emailSendMapper, mqttMapper, mysqlMapper, postgresMapper, rabbitmqMapper, redisMapper } from './nodes/integrations'
import { mergeMapper } from './nodes/merge'
import { setMapper } from './nodes/set'
import { cronMapper, errorTriggerMapper, executeWorkflowTriggerMapper, intervalMapper, manualTriggerMapper, scheduleTriggerMapper, webhookMapper } from './nodes/triggers'

const base: Record<string, NodeMapper> = {
  manualTrigger: manualTriggerMapper,
  // The Start node of n8n before 1.0.
  start: manualTriggerMapper,
  webhook: webhookMapper,
  scheduleTrigger: scheduleTriggerMapper,
  interval: intervalMapper,
  cron: cronMapper,
  executeWorkflowTrigger: executeWorkflowTriggerMapper,
  errorTrigger: errorTriggerMapper,
  set: setMapper,
  if: ifMapper,
  filter: filterMapper,
  switch: switchMapper,
  merge: mergeMapper,
  code: codeMapper,
  function: functionMapper,
  functionItem: functionItemMapper,
  httpRequest: httpRequestMapper,
  noOp: noOpMapper,
  wait: waitMapper,
  stopAndError: stopAndErrorMapper,
  respondToWebhook: respondToWebhookMapper,
  executeWorkflow: executeWorkflowMapper,
  splitInBatches: splitInBatchesMapper,
  splitOut: splitOutMapper,
  aggregate: aggregateMapper,
  summarize: summarizeMapper,
  sort: sortMapper,
  limit: limitMapper,
  removeDuplicates: removeDuplicatesMapper,
  itemLists: itemListsMapper,
  dateTime: dateTimeMapper,
  crypto: cryptoMapper,
  html: htmlMapper,
  xml: xmlMapper,
  postgres: postgresMapper,
  mySql: mysqlMapper,
  redis: redisMapper,
  emailSend: emailSendMapper,
  rabbitmq: rabbitmqMapper,
  mqtt: mqttMapper,
}

const langchain: Record<string, NodeMapper> = { openAi: openAiMapper, chainLlm: chainLlmMapper, agent: agentMapper }

export const N8N_MAPPERS: ReadonlyMap<string, NodeMapper> = new Map([
  ...Object.entries(base).map(([name, mapper]) => [`n8n-nodes-base.${name}`, mapper] as const),
  ...Object.entries(langchain).map(([name, mapper]) => [`@n8n/n8n-nodes-langchain.${name}`, mapper] as const),
])

export const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote'
