import { z } from 'zod'
import type { NodeType } from '../../define'
import { labelledEnum, text } from '../../params'
import { pageUrl, timeoutSeconds } from '../params'

export const FIELD_TARGET_TYPES = ['label', 'selector', 'placeholder', 'name'] as const
export const FIELD_KINDS = ['auto', 'text', 'select', 'checkbox', 'radio', 'file'] as const

export const formFieldSchema = z.object({
  target: z.string().trim().min(1, 'Say which field: its label text, a CSS selector, its placeholder or its name').describe('The field: its label text ("Email"), a CSS selector ("#email"), its placeholder or its name attribute, as `targetType` says'),
  targetType: z.enum(FIELD_TARGET_TYPES).meta({ optionLabels: { label: 'Label text', selector: 'CSS selector', placeholder: 'Placeholder', name: 'Name attribute' } }).default('label').describe('How `target` finds the field: label (the text of its <label> or aria-label), selector (CSS), placeholder, name (the name attribute)'),
  value: z
    .unknown()
    .optional()
    .describe('The value: text for text fields; an option\'s value or label for selects (a list for multiple selects); true/false (or "on"/"off") for checkboxes; for radios true, or the option\'s value or label; for file inputs a file (a FileRef from the item, or a list of them)')
    .meta({ ui: 'expression' }),
  kind: z.enum(FIELD_KINDS).meta({ optionLabels: { auto: 'Automatic', text: 'Text', select: 'Drop-down', checkbox: 'Checkbox', radio: 'Radio button', file: 'File upload' } }).default('auto').describe('What kind of field it is; auto looks at the element (input type, select, textarea, contenteditable)'),
})
export type FormField = z.infer<typeof formFieldSchema>

export const extractRuleSchema = z.object({
  key: z.string().trim().min(1, 'Name the output field').describe('The output field the value goes to'),
  selector: z.string().trim().min(1, 'Give a CSS selector').describe('CSS selector of the element to read on the resulting page'),
  return: labelledEnum({ text: 'Visible text', html: 'Inner HTML', attribute: 'Attribute' }).default('text').describe('What to read: text (visible text), html (inner HTML) or attribute'),
  attribute: z.string().trim().default('').describe('The attribute to read when `return` is attribute (e.g. href)'),
  all: z.boolean().default(false).describe('Read every matching element into a list (off: the first one, or null when none matches)'),
})
export type ExtractRule = z.infer<typeof extractRuleSchema>

export const fillFormParams = z.object({
  url: pageUrl(),
  fields: z.array(formFieldSchema).default([]).describe('The fields to fill, in order'),
  submit: labelledEnum({ button: 'Click the submit button', enter: 'Press Enter', selector: 'Click an element', none: "Don't submit" })
    .default('button')
    .describe('How to submit: button (click the submit button of the form holding the first field), enter (press Enter in the last field), selector (click `submitSelector`), none (fill only)'),
  submitSelector: z.string().trim().default('').describe('CSS selector of the element to click when `submit` is selector'),
  waitFor: labelledEnum({ navigation: 'The next page', selector: 'An element', networkidle: 'Network idle', none: 'Nothing' })
    .default('navigation')
    .describe('After submitting, wait for: navigation (the next page to load), selector (`waitForSelector` to be visible), networkidle (no requests for 0.5 s), none'),
  waitForSelector: z.string().trim().default('').describe('CSS selector to wait for when `waitFor` is selector'),
  successSelector: z.string().trim().default('').describe('CSS selector of an element that shows the form was accepted (e.g. ".welcome"); when given, the step fails unless it (or an error) appears'),
  errorSelector: z.string().trim().default('').describe('CSS selector of the form\'s error messages (e.g. ".error"); visible ones are reported in `formErrors`'),
  onFormErrors: labelledEnum({ fail: 'Fail the step', output: 'Output them and go on' }).default('fail').describe('When the form shows errors: fail the step (FORM_REJECTED, naming them), or output them in `formErrors` and go on'),
  extract: z.array(extractRuleSchema).default([]).describe('Values to read from the resulting page into the item'),
  maxUploadMb: z.coerce.number().min(0.001).max(50).default(10).describe('Largest file uploaded through a file field, in MB'),
  timeoutSeconds: timeoutSeconds(),
})
export type FillFormParams = z.infer<typeof fillFormParams>

export const browserFillForm: NodeType<FillFormParams, 'browser' | 'files'> = {
  type: 'browser-fill-form',
  version: 1,
  label: 'Fill Form',
  description: 'Fills a form on the page (text, selects, checkboxes, radios, file uploads), submits it and reads the result.',
  icon: 'TextCursorInput',
  category: 'browser',
  docs: {
    description: [
      'Fills the fields of a form on the item\'s page (or on `url` when given), submits it, waits for the result and reads it. ',
      'Each field is found by its label text, a CSS selector, its placeholder or its name (`targetType`); `kind` auto looks at the element: text inputs and textareas are filled, ',
      'selects pick the option whose value or label is `value`, checkboxes take true/false ("on"/"off", "yes"/"no"), radios are checked (with a name or selector matching several radios, `value` picks the one with that value or label), ',
      'file inputs upload the file(s) `value` refers to (FileRefs from the item, up to `maxUploadMb` each). A field that is not on the page fails the step naming `fields.<i>.target`.',
      '',
      '`submit` button clicks the submit button of the form holding the first field; a form the browser itself finds invalid (required fields, type="email"…) is not sent and its messages are reported as form errors. ',
      'Then the step waits (`waitFor`): for the next page, for `waitForSelector`, for the network to go quiet, or not at all; with `errorSelector` it also stops waiting as soon as an error shows. ',
      'Visible elements matching `errorSelector` are the form\'s errors: `onFormErrors` fail stops with FORM_REJECTED naming them; output puts them in `formErrors` (empty when none) and goes on. ',
      'With `successSelector`, the step fails (FORM_NOT_CONFIRMED) unless that element or an error appears.',
      '',
      'Output: the input item plus `url`, `status` (when a navigation happened), `title`, `formErrors`, one field per `extract` rule, `downloads` (files the page downloaded, stored in the run\'s files; `downloadsRefused` lists those over the cap) and `$page` for the next browser node.',
    ].join('\n'),
    examples: [
      {
        title: 'Sign up, reporting the form\'s errors',
        params: {
          fields: [
            { target: 'Email', value: '{{ $json.email }}' },
            { target: 'Plan', value: 'Pro' },
            { target: 'I accept the terms', value: true },
          ],
          errorSelector: '.error',
          onFormErrors: 'output',
          extract: [{ key: 'welcome', selector: 'h1' }],
        },
        input: [{ email: 'ada@example.com', $page: { session: '…', url: 'https://shop.example/signup', browser: 'chromium' } }],
        output: {
          main: [
            {
              email: 'ada@example.com', url: 'https://shop.example/welcome', status: 200, title: 'Welcome', formErrors: [], welcome: 'Welcome, ada@example.com',
              $page: { session: '…', url: 'https://shop.example/welcome', browser: 'chromium' },
            },
          ],
        },
      },
    ],
  },
  params: fillFormParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  services: ['browser', 'files'],
  load: () => import('./execute'),
}
