#!/usr/bin/env node
// The installed `meterops` command: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';
register();
process.env.METEROPS_CLI_MAIN = '1';
await import('../src/cli/main.ts');
