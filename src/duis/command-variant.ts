import { DuisError } from './duis-error.ts';

/** The three DUIS endpoints of a DCC Boxed (and of the emulator). */
export type DuisService = 'serviceS' | 'serviceT' | 'serviceD';

/**
 * Where a request goes by its Command Variant (the CV table in the DUIS 5.4 XSD): send command
 * for 1, 3, 5 and 7; transform for 4; DCC only (non-device) for 2, 6 and 8.
 */
export function serviceFor(commandVariant: number): DuisService {
  switch (commandVariant) {
    case 1:
    case 3:
    case 5:
    case 7:
      return 'serviceS';
    case 4:
      return 'serviceT';
    case 2:
    case 6:
    case 8:
      return 'serviceD';
    default:
      throw new DuisError('command-variant', `Command Variant ${commandVariant} is not one a User sends (1 to 8)`, { field: 'CommandVariant' });
  }
}

/** Whether a Command Variant carries a pre-command the User signed (5, 6, 7): a critical command. */
export const carriesSignedPreCommand = (cv: number) => cv === 5 || cv === 6 || cv === 7;
