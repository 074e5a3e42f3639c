// The one explicit list of node types. Adding a node type = its folder + one line here.
// Browser-safe: definitions only; executors load lazily through `load()`.
import { createRegistry } from '../engine/registry'
import type { NodeRegistry } from '../engine/types'
import type { RegisteredNodeType } from './define'
import type { HostServices } from './host-services'
import { codeNode } from './code/definition'
import { httpRequest } from './http-request/definition'
import { ifNode } from './if/definition'
import { manualTrigger } from './manual-trigger/definition'
import { mergeNode } from './merge/definition'
import { respondToWebhook } from './respond-to-webhook/definition'
import { setNode } from './set/definition'
import { switchNode } from './switch/definition'
import { waitNode } from './wait/definition'
import { webhookTrigger } from './webhook-trigger/definition'
import { llmChat } from './llm-chat/definition'
import { agent } from './agent/definition'
import { classify } from './classify/definition'
import { extract } from './extract/definition'
import { conversationMemory } from './conversation-memory/definition'
import { filterNode } from './filter/definition'
import { limitNode } from './limit/definition'
import { loopOverItemsNode } from './loop-over-items/definition'
import { splitOutNode } from './split-out/definition'
import { summarizeNode } from './summarize/definition'
import { aggregateNode } from './aggregate/definition'
import { removeDuplicatesNode } from './remove-duplicates/definition'
import { sortNode } from './sort/definition'
import { noOpNode } from './no-op/definition'
import { stopAndErrorNode } from './stop-and-error/definition'
import { htmlNode } from './html/definition'
import { xmlNode } from './xml/definition'
import { dateTimeNode } from './date-time/definition'
import { cryptoNode } from './crypto/definition'
import { compressionNode } from './compression/definition'
import { convertToFileNode } from './convert-to-file/definition'
import { extractFromFileNode } from './extract-from-file/definition'
import { redisNode } from './redis/definition'
import { sendEmailNode } from './send-email/definition'
import { postgresNode } from './postgres/definition'
import { mysqlNode } from './mysql/definition'
import { executeWorkflow } from './execute-workflow/definition'
import { executeWorkflowTrigger } from './execute-workflow-trigger/definition'
import { errorTrigger } from './error-trigger/definition'
import { eventTrigger } from './event-trigger/definition'
import { whatsappSendNode } from './whatsapp/send/definition'
import { whatsappTrigger } from './whatsapp/trigger/definition'
import { whatsappDownloadMediaNode } from './whatsapp/download-media/definition'
import { publishEventNode } from './publish-event/definition'
import { scheduleTrigger } from './schedule-trigger/definition'
import { rabbitmqNode } from './rabbitmq/definition'
import { rabbitmqTrigger } from './rabbitmq-trigger/definition'
import { natsNode } from './nats/definition'
import { natsTrigger } from './nats-trigger/definition'
import { mqttNode } from './mqtt/definition'
import { mqttTrigger } from './mqtt-trigger/definition'
import { twilioMakeCall } from './twilio/make-call/definition'
import { twilioCallSay } from './twilio/call-say/definition'
import { twilioCallGather } from './twilio/call-gather/definition'
import { twilioCallRecord } from './twilio/call-record/definition'
import { twilioCallDial } from './twilio/call-dial/definition'
import { twilioCallHangup } from './twilio/call-hangup/definition'
import { twilioCallTrigger } from './twilio/call-trigger/definition'
import { twilioSendSms } from './twilio/send-sms/definition'
import { twilioBulkSms } from './twilio/bulk-sms/definition'
import { twilioSmsTrigger } from './twilio/sms-trigger/definition'
import { browserOpenPage } from './browser/open-page/definition'
import { browserPageMonitor } from './browser/page-monitor/definition'
import { browserExtract } from './browser/extract/definition'
import { browserScreenshot } from './browser/screenshot/definition'
import { browserFillForm } from './browser/fill-form/definition'
import { browserRunSteps } from './browser/run-steps/definition'
import { vectorIngest } from './retrieval/vector-ingest/definition'
import { vectorSearch } from './retrieval/vector-search/definition'
import { vectorDelete } from './retrieval/vector-delete/definition'
import { ragAnswer } from './retrieval/rag-answer/definition'

export const nodeDefinitions: RegisteredNodeType[] = [
  manualTrigger,
  webhookTrigger,
  httpRequest,
  setNode,
  codeNode,
  ifNode,
  switchNode,
  mergeNode,
  waitNode,
  respondToWebhook,
  llmChat,
  agent,
  classify,
  extract,
  conversationMemory,
  noOpNode,
  stopAndErrorNode,
  loopOverItemsNode,
  filterNode,
  limitNode,
  splitOutNode,
  aggregateNode,
  summarizeNode,
  removeDuplicatesNode,
  sortNode,
  htmlNode,
  xmlNode,
  dateTimeNode,
  cryptoNode,
  compressionNode,
  convertToFileNode,
  extractFromFileNode,
  redisNode,
  sendEmailNode,
  postgresNode,
  mysqlNode,
  executeWorkflow,
  executeWorkflowTrigger,
  errorTrigger,
  eventTrigger,
  publishEventNode,
  scheduleTrigger,
  rabbitmqNode,
  rabbitmqTrigger,
  natsNode,
  natsTrigger,
  mqttNode,
  mqttTrigger,
  twilioMakeCall,
  twilioCallSay,
  twilioCallGather,
  twilioCallRecord,
  twilioCallDial,
  twilioCallHangup,
  twilioCallTrigger,
  twilioSendSms,
  twilioBulkSms,
  twilioSmsTrigger,
  whatsappSendNode,
  whatsappTrigger,
  whatsappDownloadMediaNode,
  browserOpenPage,
  browserPageMonitor,
  browserExtract,
  browserScreenshot,
  browserFillForm,
  browserRunSteps,
  vectorIngest,
  vectorSearch,
  vectorDelete,
  ragAnswer,
]

/** Typed by the host services its node types declare: a host running it must provide all of them. */
export const nodeRegistry: NodeRegistry<HostServices> = createRegistry(nodeDefinitions)
