import { ValidationError } from '../../domain/errors.ts';
import { CONFIG_ACTIONS, type ConfigAction } from '../../gbcs/config-code.ts';
import type { PremiseRun } from './premise-run.ts';
import { done, failed, unsupported, type NoWanTask, type TaskOutcome } from './tasks.ts';

/**
 * Option 6 (the 2012 SDAG paper), as meterops built it (gbcs/config-code.ts, the meter's UtrnAcceptor):
 * 20-digit codes like UTRNs, class 10, for "Switch to Credit Mode" and "Enable Supply" only; the
 * MAC binds Supplier, meter and counter, so a code works on its target meter, once. The consumer
 * types it: no visit. A task with no defined action is asked for anyway, and the platform's own
 * code builder refuses it.
 */
export async function runConfigurationCodes(ctx: PremiseRun): Promise<Record<NoWanTask, TaskOutcome>> {
  const typed = async (action: ConfigAction, check: () => boolean, what: string): Promise<TaskOutcome> => {
    const r = ctx.esme.enterCode(await ctx.configCode(action), ctx.clock.now());
    if (!r.accepted) return failed('run', 0, 0, `the meter refused the ${action} code: ${r.detail}`);
    return check() ? done('run', 0, 0, `${action} code typed by the consumer: ${what}`) : failed('run', 0, 0, `${action} code accepted but ${what} not seen`);
  };
  /** Asks the code builder for an action it does not define: the refusal is the cell. */
  const noAction = async (task: string): Promise<TaskOutcome> => {
    try {
      await ctx.configCode(task as ConfigAction);
    } catch (e) {
      if (e instanceof ValidationError) return unsupported('run', `no configuration code for ${task}: ${e.message}`);
      throw e;
    }
    throw new Error(`simulation: a configuration code was built for ${task}`);
  };
  // The premise needs the codes for what they are for: supply off (credit ran out), prepayment mode.
  ctx.esme.loadSwitch = 'disabled';
  const enable = await typed('enableSupply', () => ctx.esme.loadSwitch === 'enabled', 'load switch closed');
  ctx.toPrepayment();
  const credit = await typed('switchToCreditMode', () => ctx.esme.paymentMode === 'credit', 'payment mode credit');
  if (Object.keys(CONFIG_ACTIONS).length !== 2) throw new Error('simulation: the configuration actions changed; revisit this option');
  return {
    installation: await noAction('installation'),
    'han-ihd-pairing': await noAction('hanPairing'),
    commissioning: await noAction('commissioning'),
    'tariff-change': await noAction('tariffChange'),
    'supply-enable': enable,
    'supply-disable': await noAction('disableSupply'),
    'top-up': await ctx.keypadTopUp(),
    'switch-to-credit': credit,
    'credential-change': await noAction('credentialChange'),
    firmware: await noAction('firmwareUpdate'),
  };
}
