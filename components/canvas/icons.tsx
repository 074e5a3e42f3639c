// Node-type icons by lucide name. An explicit map keeps the bundle small; unknown names fall back to a box.
import {
  ArrowRight, ArrowUpDown, Bot, Box, Braces, Brain, Clock, Code, CopyMinus, Database, Filter, GitBranch, Globe, Group, Hourglass, ListEnd, Mail, Merge, MessageSquare,
  MousePointerClick, OctagonX, PenLine, Phone, Repeat, Reply, Route, Search, Send, Sigma, Sparkles, StickyNote, Table, Timer, Ungroup, Webhook, Zap,
  type LucideIcon,
} from 'lucide-react'

const ICONS: Record<string, LucideIcon> = {
  ArrowRight, ArrowUpDown, Bot, Box, Braces, Brain, Clock, Code, CopyMinus, Database, Filter, GitBranch, Globe, Group, Hourglass, ListEnd, Mail, Merge, MessageSquare,
  MousePointerClick, OctagonX, PenLine, Phone, Repeat, Reply, Route, Search, Send, Sigma, Sparkles, StickyNote, Table, Timer, Ungroup, Webhook, Zap,
}

export function NodeIcon({ name, className }: { name?: string; className?: string }) {
  const Icon = (name && ICONS[name]) || Box
  return <Icon className={className} aria-hidden />
}

/** Tile colour per category (Tailwind classes). */
export const CATEGORY_TONE: Record<string, string> = {
  trigger: 'bg-amber-500/15 text-amber-600 dark:text-amber-400',
  flow: 'bg-violet-500/15 text-violet-600 dark:text-violet-400',
  data: 'bg-sky-500/15 text-sky-600 dark:text-sky-400',
  core: 'bg-indigo-500/15 text-indigo-600 dark:text-indigo-400',
  ai: 'bg-fuchsia-500/15 text-fuchsia-600 dark:text-fuchsia-400',
  communication: 'bg-emerald-500/15 text-emerald-600 dark:text-emerald-400',
  browser: 'bg-orange-500/15 text-orange-600 dark:text-orange-400',
}
