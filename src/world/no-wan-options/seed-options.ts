/**
 * The eight ways of installing and maintaining smart metering equipment with no WAN at the visit,
 * as the SDAG paper of late 2012 ("Installation and Maintenance Approaches") lists them.
 * Every string in `summary` and `verdicts` is quoted from the seed exactly (its line breaks joined
 * by single spaces, its own spelling and quotation marks kept): test/no-wan-options/seed-quotes.test.ts
 * finds each one in the seed.
 */
export const NO_WAN_OPTION_IDS = [
  'dumb-or-smart-ready',
  'pre-configured-set',
  'picocell',
  'engineering-menu',
  'optical-port',
  'configuration-codes',
  'pass-through-hht',
  'restricted-hht',
] as const;
export type NoWanOptionId = (typeof NO_WAN_OPTION_IDS)[number];

export interface SeedOption {
  readonly id: NoWanOptionId;
  /** The option's number and heading in the seed. */
  readonly number: number;
  readonly title: string;
  /** What the seed says the option is. */
  readonly summary: readonly string[];
  /** The seed's own judgements of the option, word for word. */
  readonly verdicts: readonly string[];
}

export const SEED_OPTIONS: Readonly<Record<NoWanOptionId, SeedOption>> = {
  'dumb-or-smart-ready': {
    id: 'dumb-or-smart-ready',
    number: 1,
    title: 'No HHT, no pre-configured SME',
    summary: ['Leave existing meters in place / replace with new \u201Edumb\u201F / smart-ready meters'],
    verdicts: [
      'The consumer would not be provided with an IHD (no possibility to configure the HAN)',
      'An unresolvable configuration problem will require the relevant equipment to be replaced',
      'Any dumb meters installed will not provide consumers with benefits of smart metering',
      'Any smart-ready meter would have to be replaced with a meter pre- configured with the correct tariff to effect a tariff change for a consumer',
    ],
  },
  'pre-configured-set': {
    id: 'pre-configured-set',
    number: 2,
    title: 'No HHT, pre-configured SME',
    summary: ['All metering equipment replaced with pre-configured SME, with configured HAN'],
    verdicts: [
      'In the event of any component failure, the entire SME would need to be replaced, as this equipment can only be installed as a pre-configured set',
      'No support for tariff upgrade except by replacing entire SME',
    ],
  },
  picocell: {
    id: 'picocell',
    number: 3,
    title: 'GPRS PicoCell to establish WAN temporarily',
    summary: ['Installer has equipment to create a temporary GPRS cell'],
    verdicts: ['Time-consuming to set up, may not always be possible', 'Can perform all installation and maintenance functions through the WAN'],
  },
  'engineering-menu': {
    id: 'engineering-menu',
    number: 4,
    title: 'Engineering Menu',
    summary: ['SME provides menu access through local user interface (push-buttons and display)', 'Authentication through PIN code'],
    verdicts: [
      'Not practical or reliable for configuring tariffs',
      'Could be used to configure load switching times, but with risk of human error',
      'Any critical functions available from the menu left enabled would present a significant security risk',
    ],
  },
  'optical-port': {
    id: 'optical-port',
    number: 5,
    title: 'HHT Connected Through Dedicated Configuration Interface',
    summary: ['Industry-standard optical interface on meter', 'Once authenticated, operations can be performed using a field tool', 'Perform installation functions only'],
    verdicts: ['Can be used to perform complex configuration including tariff programming and load switching times', 'If left enabled, would present a significant security risk'],
  },
  'configuration-codes': {
    id: 'configuration-codes',
    number: 6,
    title: 'Configuration Code Programming',
    summary: ['Configuration codes, similar to UTRN, which could be used to perform emergency maintenance functions'],
    verdicts: ['Codes would only work on the target meter, and would only be accepted once by the meter'],
  },
  'pass-through-hht': {
    id: 'pass-through-hht',
    number: 7,
    title: 'Pass-through HHT',
    summary: ['Signed commands and signed device pairing pre-loaded on device together with the work-order'],
    verdicts: ['Can support all business processes that would otherwise rely on the WAN'],
  },
  'restricted-hht': {
    id: 'restricted-hht',
    number: 8,
    title: 'Restricted HHT',
    summary: [
      'The SME must recognise a HHT device, and limit the commands accepted',
      'Scope of allowed interface defined in a HHT interface specification',
      'Commands from HHT will not be signed',
    ],
    verdicts: ['Vulnerable to attack through misuse of HHT / through the HHT interface'],
  },
};
