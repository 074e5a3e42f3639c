import { edge, firstVersion, node, slot } from './build'

const call = { callId: 'cm9call', callSid: `CA${'7'.repeat(32)}`, from: '+14155550123', to: '+14155550100', callerCity: 'SAN FRANCISCO', callerCountry: 'US' }
const pressed = (digits: string) => ({ ...call, digits, speech: '', confidence: null, timedOut: false, callEnded: false })

export const twilioIvrMenu = firstVersion('twilio-ivr-menu', {
  name: 'Phone menu (IVR): press 1 for sales, 2 for opening hours',
  description: 'Answers calls to your Twilio number with a menu. Callers who press 1 are put through to sales; callers who press 2 hear your opening hours. Anything else, or silence, is told goodbye. Every step of the call belongs to one run, so the run view shows the whole conversation.',
  category: 'messaging',
  tags: ['voice', 'ivr', 'twilio', 'phone', 'switch'],
  parameters: [
    { name: 'number', label: 'Your Twilio number', type: 'string', default: '+14155550100', required: true, description: 'The number callers dial, in E.164 form' },
    { name: 'greeting', label: 'Menu', type: 'string', default: 'Thanks for calling. Press 1 for sales. Press 2 for our opening hours.', required: true },
    { name: 'salesNumber', label: 'Sales line', type: 'string', default: '+14155550111', required: true, description: 'Where callers who press 1 are put through, in E.164 form' },
    { name: 'hours', label: 'Opening hours message', type: 'string', default: 'We are open Monday to Friday, 9 am to 6 pm.' },
  ],
  credentials: [{ ref: 'credential-1', kinds: ['twilio'], label: 'Twilio account' }],
  graph: {
    nodes: [
      node('call', 'twilio-call-trigger', 'Incoming call', { credential: slot('credential-1'), number: '{{ $param.number }}' }, 0),
      node('menu', 'twilio-call-gather', 'Menu', { prompt: '{{ $param.greeting }}', input: 'dtmf', numDigits: 1, timeout: 6 }, 1),
      node('choice', 'switch', 'Choice', {
        mode: 'rules',
        matching: 'firstMatch',
        rules: [
          { left: '{{ $json.digits }}', operator: 'equals', right: '1', label: 'Sales' },
          { left: '{{ $json.digits }}', operator: 'equals', right: '2', label: 'Hours' },
        ],
      }, 2),
      node('sales', 'twilio-call-dial', 'Put through to sales', { number: '{{ $param.salesNumber }}' }, 3, -1),
      node('hours', 'twilio-call-say', 'Opening hours', { text: '{{ $param.hours }}' }, 3, 0),
      node('goodbye', 'twilio-call-say', 'Goodbye', { text: 'Sorry, we did not get that. Goodbye.' }, 3, 1),
      node('hangup', 'twilio-call-hangup', 'Hang up', {}, 4),
    ],
    edges: [
      edge('call', 'menu'),
      edge('menu', 'choice'),
      edge('choice', 'sales', 'out0'),
      edge('choice', 'hours', 'out1'),
      edge('choice', 'goodbye', 'fallback'),
      edge('sales', 'hangup'),
      edge('hours', 'hangup'),
      edge('goodbye', 'hangup'),
    ],
  },
  testCases: [
    {
      name: 'pressing 1 puts the caller through to sales',
      input: [call],
      recorded: {
        Menu: [pressed('1')],
        'Put through to sales': [{ ...pressed('1'), dialStatus: 'completed', dialDuration: 42 }],
        'Opening hours': [],
        Goodbye: [],
        'Hang up': [{ ...pressed('1'), dialStatus: 'completed', dialDuration: 42 }],
      },
      expect: [
        { node: 'Choice', port: 'out0', equals: [pressed('1')] },
        { node: 'Choice', port: 'out1', equals: [] },
      ],
    },
    {
      name: 'silence is told goodbye',
      input: [call],
      recorded: {
        Menu: [{ ...pressed(''), timedOut: true }],
        'Put through to sales': [],
        'Opening hours': [],
        Goodbye: [{ ...pressed(''), timedOut: true }],
        'Hang up': [{ ...pressed(''), timedOut: true }],
      },
      expect: [{ node: 'Choice', port: 'fallback', equals: [{ ...pressed(''), timedOut: true }] }],
    },
  ],
})
