import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseEui } from '../../domain/eui.ts';
import { fromHex } from '../../gbcs/byte-reader.ts';
import { buildUseCaseFrame, BUILDABLE } from '../../gbcs/build-use-case.ts';
import { toHex } from '../../gbcs/byte-reader.ts';
import { generateUtrn } from '../../gbcs/generate-utrn.ts';
import { DCC_BOXED_ACB, verifyFrame } from '../../gbcs/verify-frame.ts';
import { ValidationError } from '../../domain/errors.ts';
import { FileKeyStore } from '../../keys/file-key-store.ts';
import { CliError } from '../cli-error.ts';
import { frameText } from '../frame-argument.ts';

// The decoders and the conformance run are loaded by the commands that use them, not at start.
const decoding = async () => {
  const [frame, present, payload, tree, keysFor] = await Promise.all([
    import('../../gbcs/decode-frame.ts'),
    import('../../gbcs/present-frame.ts'),
    import('../../gbcs/payloads/decode-payload.ts'),
    import('../../gbcs/payloads/payload-tree.ts'),
    import('../../gbcs/payload-keys-for.ts'),
  ]);
  return { ...frame, ...present, ...payload, ...tree, ...keysFor };
};

function counterArg(s: string): bigint {
  if (!/^\d+$/.test(s)) throw new ValidationError('counter', 'integer', `--counter must be a whole number, got "${s}"`);
  return BigInt(s);
}

/** The keystore named by --keystore, or a one-line refusal naming the path. */
function keystoreAt(dir: string): FileKeyStore {
  if (!existsSync(dir)) throw new CliError(`--keystore ${dir}: no such directory`, 2, 'FILE_NOT_FOUND');
  return new FileKeyStore(dir);
}

export function gbcsCommands(program: Command): void {
  program
    .command('conformance')
    .description('conformance checks against reference data')
    .command('rtds <dir>')
    .description('decode every GBCS frame under DIR, check every signature and MAC the keystore can check, decrypt and decode every payload')
    .requiredOption('--keystore <dir>', 'keystore directory (DCC Boxed layout)')
    .option('--acb <eui>', 'the ACB (DCC) EUI keying command MACs', DCC_BOXED_ACB)
    .option('--verbose', 'list failures, checks not possible, encrypted payloads not decryptable and payload parts not named (with why)')
    .action(async (dir: string, o) => {
      if (!existsSync(dir)) throw new CliError(`${dir} does not exist`, 2, 'FILE_NOT_FOUND');
      const { conformanceLine, payloadLine, rtdsConformance } = await import('../rtds-conformance.ts');
      const report = await rtdsConformance(dir, keystoreAt(o.keystore), parseEui(o.acb, 'acb'));
      for (const f of report.failures) process.stderr.write(`FAIL ${f}\n`);
      if (o.verbose) for (const u of report.unverifiable) process.stderr.write(`note ${u}\n`);
      if (o.verbose) for (const u of report.notDecrypted) process.stderr.write(`note ${u}\n`);
      if (o.verbose) for (const u of report.unnamedParts) process.stderr.write(`note ${u}\n`);
      process.stdout.write(
        `${report.payloadsDecrypted} encrypted payloads decrypted and authenticated, ${report.notDecrypted.length} not decryptable with the published keys${report.notDecrypted.length ? ' (--verbose lists them)' : ''}\n`,
      );
      process.stdout.write(payloadLine(report) + '\n');
      process.stdout.write(`${report.signaturesUnverifiable + report.macsUnverifiable} checks not possible with the published keys (--verbose lists them)\n`);
      process.stdout.write(conformanceLine(report) + '\n');
      if (report.failed) throw new CliError(`${report.failed} frame(s) failed`, 1, 'CONFORMANCE_FAILED');
    });

  program
    .command('utrn')
    .description('print the 20-digit UTRN for a top-up')
    .requiredOption('--keystore <dir>', 'keystore directory holding the supplier PP-KA key and the device KA certificate')
    .requiredOption('--supplier <eui>')
    .requiredOption('--device <eui>')
    .requiredOption('--counter <n>', 'the 64-bit counter, a multiple of 2^32')
    .requiredOption('--value <v>', '0..8191')
    .requiredOption('--class <class>', 'pounds or pennies')
    .action(async (o) => {
      if (o.class !== 'pounds' && o.class !== 'pennies') throw new ValidationError('class', 'utrn-class', '--class must be pounds or pennies');
      if (!/^\d+$/.test(o.value)) throw new ValidationError('value', 'utrn-value', `--value must be a whole number from 0 to 8191, got "${o.value}"`);
      const utrn = await generateUtrn(keystoreAt(o.keystore), {
        supplier: parseEui(o.supplier, 'supplier'),
        device: parseEui(o.device, 'device'),
        counter: counterArg(o.counter),
        value: Number(o.value),
        valueClass: o.class,
      });
      process.stdout.write(utrn + '\n');
    });

  const gbcs = program.command('gbcs').description('GBCS frames');
  gbcs
    .command('build <usecase>')
    .description(`print a complete command frame in hex (signed if critical, MACed with the ACB key): ${BUILDABLE.join(', ')}`)
    .requiredOption('--keystore <dir>', 'keystore directory')
    .requiredOption('--originator <eui>', 'the User sending the command (signs critical commands)')
    .requiredOption('--device <eui>', 'the target device')
    .requiredOption('--counter <n>', 'the originator counter')
    .option('--acb <eui>', 'the ACB EUI', DCC_BOXED_ACB)
    .option('--utrn <utrn>', 'CS01a/CS01b: the UTRN to carry')
    .option('--value <v>', 'CS01a/CS01b: make the UTRN with this value')
    .option('--class <class>', 'CS01a/CS01b: pounds or pennies')
    .action(async (useCase: string, o) => {
      const frame = await buildUseCaseFrame(keystoreAt(o.keystore), {
        useCase,
        originator: parseEui(o.originator, 'originator'),
        device: parseEui(o.device, 'device'),
        counter: counterArg(o.counter),
        acb: parseEui(o.acb, 'acb'),
        ...(o.utrn ? { utrn: o.utrn } : {}),
        ...(o.value !== undefined ? { value: Number(o.value) } : {}),
        ...(o.class ? { valueClass: o.class } : {}),
      });
      process.stdout.write(toHex(frame) + '\n');
    });
  gbcs
    .command('decode <frame>')
    .description('decode a frame (hex, or a file holding hex) to JSON with signature and MAC verdicts; --payload prints the decoded payload')
    .option('--keystore <dir>', 'keystore directory for the verdicts and for decrypting encrypted payloads')
    .option('--acb <eui>', 'the ACB EUI', DCC_BOXED_ACB)
    .option('--payload', 'print the payload as a tree of named fields (offset+length, name, value)')
    .option('--json', 'with --payload: the tree as JSON')
    .action(async (arg: string, o) => {
      const text = frameText(arg);
      const { decodeFrame, presentFrame, decodePayload, namedByteCount, renderPayload, payloadKeysFor, decodeFramePayload } = await decoding();
      const frame = decodeFrame(fromHex(text));
      const keys = o.keystore ? keystoreAt(o.keystore) : undefined;
      if (o.payload) {
        const payload = decodePayload(frame.apdu, keys ? await payloadKeysFor(frame.apdu, keys) : undefined);
        const named = namedByteCount(payload.root, frame.apdu.content.length);
        if (o.json) {
          process.stdout.write(
            JSON.stringify(
              {
                messageCode: presentFrame(frame).messageCode,
                messageCodeName: presentFrame(frame).messageCodeName,
                cra: frame.apdu.cra,
                family: payload.family,
                bytes: frame.apdu.content.length,
                namedBytes: named,
                encrypted: payload.encrypted,
                tree: payload.root,
              },
              null,
              2,
            ) + '\n',
          );
        } else {
          const f = presentFrame(frame);
          process.stdout.write(
            `${f.messageCode} ${f.messageCodeName ?? ''} ${frame.apdu.cra}: ${payload.family} payload, ${frame.apdu.content.length} bytes, ${named} in named fields\n`,
          );
          for (const e of payload.encrypted)
            process.stdout.write(`encrypted part at byte ${e.offset} (${e.length} bytes): ${e.status === 'decrypted' ? 'decrypted' : `${e.status}: ${e.reason}`}\n`);
          process.stdout.write(renderPayload(payload.root) + '\n');
        }
        return;
      }
      const verdicts = keys ? await verifyFrame(frame, keys, parseEui(o.acb, 'acb')) : undefined;
      // Encrypted parts (GBZ components and DLMS protected attributes) through the payload decoder;
      // --payload shows what they hold.
      const decrypted = keys ? (await decodeFramePayload(frame.apdu, keys)).encrypted : [];
      const out = presentFrame(frame, verdicts);
      if (decrypted.length) out.decrypted = decrypted;
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    });
}
