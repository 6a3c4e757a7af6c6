import { z } from 'zod';
import { DEFAULT_GOVERNANCE, type Governance } from '../domain/governance.ts';
import { DEVICE_TYPES } from '../domain/device-types.ts';
import { PARTY_ROLES } from '../domain/parties.ts';

const roles = z.array(z.enum(PARTY_ROLES)).min(1);
const d = DEFAULT_GOVERNANCE;
const extension = z
  .object({ generation: z.enum(['SMETS1', 'SMETS2']), deviceType: z.enum(DEVICE_TYPES).optional(), method: z.enum(['gold', 'bronze']).optional(), roles })
  .strict();

/** The governance settings (src/domain/governance.ts) as given in METEROPS_GOVERNANCE; unknown keys are refused. */
export const GovernanceSchema = z
  .object({
    triage: z
      .object({
        smets2: roles.default([...d.triage.smets2]),
        smets1: roles.default([...d.triage.smets1]),
        secureStatusGrantedBy: roles.default([...d.triage.secureStatusGrantedBy]),
        extensions: z.array(extension).default([]),
      })
      .strict()
      .default({ smets2: [...d.triage.smets2], smets1: [...d.triage.smets1], secureStatusGrantedBy: [...d.triage.secureStatusGrantedBy], extensions: [] }),
    routes: z
      .object({
        configurationCodes: z.boolean().default(d.routes.configurationCodes),
        ppmidRelayWanStates: z.array(z.enum(['intermittent', 'no-wan'])).default([...d.routes.ppmidRelayWanStates]),
      })
      .strict()
      .default({ configurationCodes: d.routes.configurationCodes, ppmidRelayWanStates: [...d.routes.ppmidRelayWanStates] }),
  })
  .strict() satisfies z.ZodType<Governance>;
