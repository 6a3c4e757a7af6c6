import type { Command } from 'commander';
import { loadConfig, ENV_NAMES, type Config } from '../../config/config.ts';
import { describeGovernance } from '../../domain/governance.ts';
import type { GlobalFlags } from '../context.ts';
import { printJson } from '../print-json.ts';

/** Settings whose values are secrets: shown as set or not, never printed. */
const SECRET: ReadonlySet<keyof Config> = new Set(['keystorePassphrase', 'pkcs11Pin']);

/** `meterops config show`: the validated settings, and every governance rule with its default and source. */
export function configCommand(program: Command, globals: () => GlobalFlags): void {
  const config = program.command('config').description('the validated configuration');
  config
    .command('show')
    .description('print every setting (secrets hidden) and the governance rules, each with its default, source and whether it is an extension')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      const g = globals();
      // Validated as `serve` would: a bad value fails here with the setting's name.
      const c = loadConfig(process.env, { dataDir: g.dataDir, databaseUrl: g.databaseUrl, logLevel: g.logLevel });
      const settings = Object.entries(c)
        .filter(([k]) => k !== 'governance')
        .map(([k, v]) => ({ setting: k, env: ENV_NAMES[k as keyof Config], value: SECRET.has(k as keyof Config) ? (v === undefined ? undefined : '(set)') : v }));
      const governance = describeGovernance(c.governance);
      if (opts.json) return printJson({ settings, governance });
      for (const s of settings) process.stdout.write(`${s.setting} (${s.env}): ${s.value === undefined ? '(not set)' : JSON.stringify(s.value)}\n`);
      process.stdout.write('\ngovernance (METEROPS_GOVERNANCE):\n');
      for (const r of governance)
        process.stdout.write(`${r.setting}: ${JSON.stringify(r.value)}${r.extension ? `  EXTENSION (default ${JSON.stringify(r.default)})` : ''}  [${r.source}]\n`);
    });
}
