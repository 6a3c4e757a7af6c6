/** What a client may ask of the no-WAN options study (a light module: the CLI's help reads it). */
export const NO_WAN_OPTIONS_LIMITS = Object.freeze({ minPremises: 100, maxPremises: 200_000, defaultPremises: 3_000, maxStudied: 200, codeSpaceSamples: 200_000 });
export const DEFAULT_STUDY_SEED = 'no-wan-options';
