// Zod schemas of SEC Section G answers shared by the obligation and awareness routes.
import { z } from 'zod';
import { AWARENESS_BASES, type Awareness, type DutyRecord } from '../../domain/index.ts';

export const DutySchema = z.object({
  id: z.string(),
  vulnerabilityId: z.string(),
  partyId: z.string(),
  duty: z.string(),
  clause: z.string().describe('the SEC clause that binds the party; a DCC duty says the MP087 paper states no DCC clause'),
  deviceCount: z.number().int(),
  state: z.enum(['open', 'done', 'exempt']),
  deadline: z.string().describe("from the party's own awareness time"),
  evidence: z.string().nullable(),
  exemptReason: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  sscSteps: z.string().nullable().describe('G3.18(c): the steps notified to the SSC (the SSC notice, once done)'),
  stepsCompleteBy: z.string().nullable().describe('G3.18(c): the time within which those steps are intended to be completed'),
});

export const presentDuty = (d: DutyRecord) => ({
  ...d,
  deadline: d.deadline.toISOString(),
  closedAt: d.closedAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
  stepsCompleteBy: d.stepsCompleteBy?.toISOString() ?? null,
});

export const MaterialityBody = z
  .strictObject({ material: z.boolean(), reason: z.string().max(2000) })
  .describe('G3.17 "material": your judgement, yes or no, and why (recorded with who judged and when)');

export const AwarenessSchema = z.object({
  vulnerabilityId: z.string(),
  partyId: z.string(),
  awareAt: z.string(),
  basis: z.enum(AWARENESS_BASES),
  recordedBy: z.string(),
  recordedAt: z.string(),
  materiality: z
    .object({ material: z.boolean(), reason: z.string(), judgedBy: z.string(), judgedPerson: z.string().nullable(), judgedAt: z.string() })
    .nullable()
    .describe('null until judged: meterops treats an unjudged vulnerability as material (a meterops default)'),
});

export const presentAwareness = (a: Awareness) => ({
  ...a,
  awareAt: a.awareAt.toISOString(),
  recordedAt: a.recordedAt.toISOString(),
  materiality: a.materiality ? { ...a.materiality, judgedAt: a.materiality.judgedAt.toISOString() } : null,
});
