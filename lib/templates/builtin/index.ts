// The built-in gallery: templates shipped with the app, one file each beside this one. Each has a slug (its id is
// `builtin:<slug>`), its versions (newest last) and at least one test case, run in CI (tests/integration/builtin-templates.test.ts).
// docs/templates-builtin.md lists them.
import type { BuiltinTemplate } from '../types'
import { webhookValidateRespond } from './webhook-validate-respond'
import { schedulePollNewRecords } from './schedule-poll-new-records'
import { aiSupportTriage } from './ai-support-triage'
import { aiInvoiceExtract } from './ai-invoice-extract'
import { aiSummarizeWebhook } from './ai-summarize-webhook'
import { aiAgentOrderStatus } from './ai-agent-order-status'
import { eventsVipOrders } from './events-vip-orders'
import { rabbitmqToPostgres } from './rabbitmq-to-postgres'
import { mqttTemperatureAlerts } from './mqtt-temperature-alerts'
import { natsWebhookForwarder } from './nats-webhook-forwarder'
import { mysqlDailySalesEmail } from './mysql-daily-sales-email'
import { redisRateLimit } from './redis-rate-limit'
import { rssFeedDigest } from './rss-feed-digest'
import { htmlPriceWatch } from './html-price-watch'
import { postgresJoinOrders } from './postgres-join-orders'
import { loopBatchUpload } from './loop-batch-upload'
import { errorAlertEmail } from './error-alert-email'
import { webhookHmacVerify } from './webhook-hmac-verify'
import { subworkflowCleanContacts } from './subworkflow-clean-contacts'
import { twilioSmsCampaign } from './twilio-sms-campaign'
import { twilioIvrMenu } from './twilio-ivr-menu'
import { whatsappSupportBot } from './whatsapp-support-bot'
import { browserScrapeTable } from './browser-scrape-table'
import { browserPageChangeAlert } from './browser-page-change-alert'
import { ragAskDocuments } from './rag-ask-documents'

export const builtinTemplates: readonly BuiltinTemplate[] = [
  webhookValidateRespond,
  schedulePollNewRecords,
  aiSupportTriage,
  aiInvoiceExtract,
  aiSummarizeWebhook,
  aiAgentOrderStatus,
  eventsVipOrders,
  rabbitmqToPostgres,
  mqttTemperatureAlerts,
  natsWebhookForwarder,
  mysqlDailySalesEmail,
  redisRateLimit,
  rssFeedDigest,
  htmlPriceWatch,
  postgresJoinOrders,
  loopBatchUpload,
  errorAlertEmail,
  webhookHmacVerify,
  subworkflowCleanContacts,
  twilioSmsCampaign,
  twilioIvrMenu,
  whatsappSupportBot,
  browserScrapeTable,
  browserPageChangeAlert,
  ragAskDocuments,
]
