import type { ZclField } from './zcl-data.ts';

/*
 * Shared pieces of the ZCL command layouts (zcl-*-commands.ts). Type codes are those of the ZCL
 * specification (07-5123, chapter 2, the data types); field names are the ZigBee Smart Energy 1.4
 * standard's (07-5356-21, annex D), as GBCS uses them.
 */

// ZCL type codes used in the layouts.
export const U8 = 0x20,
  U16 = 0x21,
  U24 = 0x22,
  U32 = 0x23,
  U48 = 0x25,
  I32 = 0x2b,
  E8 = 0x30,
  B8 = 0x18,
  B16 = 0x19,
  B32 = 0x1b,
  UTC = 0xe2,
  OCT = 0x41,
  DATE = 0xe1;
export const ISSUER = [
  ['Provider ID', U32],
  ['Issuer Event ID', U32],
] as const;

/** Supply Status (ZSE Metering attribute 0x0014 and the Supply Status fields). */
export const SUPPLY_STATUS_NAMES: Readonly<Record<number, string>> = { 0: 'Supply OFF', 1: 'Supply OFF/ARMED', 2: 'Supply ON' };

export const SNAPSHOT_HEADER: ZclField[] = [
  ['Snapshot ID', U32],
  ['Snapshot Time', UTC],
  ['Total Snapshots Found', U8],
  ['Command Index', U8],
  ['Total Number of Commands', U8],
  ['Snapshot Cause', B32],
  ['Snapshot Payload Type', E8],
];
export const SNAPSHOT_REQUEST: ZclField[] = [
  ['Earliest Start Time', UTC],
  ['Latest End Time', UTC],
  ['Snapshot Offset', U8],
  ['Snapshot Cause', B32],
];

export interface ZclCommand {
  readonly name: string;
  readonly fields?: readonly ZclField[];
}
export const C = (entries: Array<[number, ZclCommand]>) => new Map(entries);

/** One cluster's commands: client (to the server, i.e. to the meter) and server, by id. */
export type ClusterCommands = { readonly client: ReadonlyMap<number, ZclCommand>; readonly server: ReadonlyMap<number, ZclCommand> };
export type ClusterCommandsEntry = readonly [cluster: number, commands: ClusterCommands];
