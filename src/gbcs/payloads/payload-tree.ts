/**
 * The decoded form of a GBCS payload (the Content of a General-Signing APDU): a tree of fields,
 * each with where it sits in the Content, what it is called in the domain, and its value.
 * Offsets of decrypted fields are those of the matching ciphertext bytes (AES-GCM is a stream
 * mode: plaintext byte i is ciphertext byte i), so every byte of the Content has one place.
 */
export interface PayloadNode {
  /** The field's name in the domain's words, e.g. "control_state", "Supply Status", "seq number". */
  readonly name: string;
  /** Offset into the Content, and the bytes the field spans (its tag, length and value). */
  readonly offset: number;
  readonly length: number;
  /**
   * false when the bytes were read but their meaning is not known: an element of a structure with
   * no schema here, a vendor-specific part, or ciphertext that could not be decrypted.
   */
  readonly named: boolean;
  /** The wire type, e.g. "long-unsigned", "uint32", "INTEGER", "octet-string". */
  readonly type?: string;
  readonly value?: string | number | boolean | null;
  /** The unit after the scaler is applied, e.g. "kWh", "m³", "GBP". */
  readonly unit?: string;
  /** How a person reads it: "Supply ON", "12.5 kWh", "2015-01-01T00:00:00Z". */
  readonly text?: string;
  readonly children?: readonly PayloadNode[];
  /** Why a part is not decoded further (for example: no key to decrypt it). */
  readonly note?: string;
}

export interface DecodedPayload {
  /** The payload family that read it. */
  readonly family: 'dlms' | 'gbz' | 'der';
  readonly root: PayloadNode;
  /** Encrypted parts: decrypted, or why not. */
  readonly encrypted: readonly EncryptedPart[];
}

export type EncryptedPart =
  | { readonly offset: number; readonly length: number; readonly status: 'decrypted' }
  | { readonly offset: number; readonly length: number; readonly status: 'failed' | 'unverifiable'; readonly reason: string };

type NodeExtras = Partial<Pick<PayloadNode, 'type' | 'value' | 'unit' | 'text' | 'children' | 'note'>>;

const NONE: NodeExtras = {};

/**
 * A named field. Every node is made with the same properties in the same order (absent parts
 * undefined), so all nodes share one hidden class and the code reading trees stays monomorphic.
 */
export function field(name: string, offset: number, length: number, extras: NodeExtras = NONE): PayloadNode {
  return {
    name,
    offset,
    length,
    named: true,
    type: extras.type,
    value: extras.value,
    unit: extras.unit,
    text: extras.text,
    children: extras.children,
    note: extras.note,
  } as PayloadNode;
}

/**
 * A named field from positional parts: the same node as field() makes, for the readers' hottest
 * paths, where reading an extras object of many shapes would cost more than the node itself.
 */
export function leaf(name: string, offset: number, length: number, type: string, value: PayloadNode['value'], text?: string, children?: readonly PayloadNode[]): PayloadNode {
  return { name, offset, length, named: true, type, value, unit: undefined, text, children, note: undefined };
}

/** Bytes whose meaning is not known here: kept, labelled, with their offset. */
export function unknownBytes(name: string, offset: number, bytes: Uint8Array, note?: string): PayloadNode {
  return { name, offset, length: bytes.length, named: false, type: 'bytes', value: hex(bytes), ...(note ? { note } : {}) };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
/** Upper-case hex, by table: payload trees hold many short octet strings. */
export function hex(b: Uint8Array): string {
  // Long strings (keys, signatures, ciphertext) go faster through the native encoder.
  if (b.length > 24) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex').toUpperCase();
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

/** Upper-case hex of bytes[from, to), without making a subarray first. */
export function hexRange(b: Uint8Array, from: number, to: number): string {
  if (to - from > 24)
    return Buffer.from(b.buffer, b.byteOffset + from, to - from)
      .toString('hex')
      .toUpperCase();
  let s = '';
  for (let i = from; i < to; i++) s += HEX[b[i]!];
  return s;
}

/** Marks a node the decoder has just made as not named (it is not shared yet, so no copy is needed). */
export function markUnnamed<T extends PayloadNode>(node: T): T {
  (node as { named: boolean }).named = false;
  return node;
}

/** A node read where a schema places it, left not named with the reason the schema gives. */
export function unnamedBecause<T extends PayloadNode>(node: T, why: string): T {
  const n = markUnnamed(node) as { note?: string };
  n.note = why;
  return node;
}

/**
 * How many bytes of a payload of `length` bytes lie in named fields. A node's own bytes (its tag
 * and length) count when it is named; its children decide for theirs.
 */
export function namedByteCount(root: PayloadNode, length: number): number {
  const marks = new Uint8Array(length);
  const mark = (n: PayloadNode) => {
    const from = Math.max(0, n.offset);
    const to = Math.min(length, n.offset + n.length);
    marks.fill(n.named ? 1 : 0, from, to);
    for (const c of n.children ?? []) mark(c);
  };
  mark(root);
  let n = 0;
  for (const m of marks) n += m;
  return n;
}

/** Every node, depth first, with its path of names. */
export function* walk(node: PayloadNode, path: readonly string[] = []): Generator<{ node: PayloadNode; path: readonly string[] }> {
  const here = [...path, node.name];
  yield { node, path: here };
  for (const c of node.children ?? []) yield* walk(c, here);
}

/** The first node whose name matches, depth first. */
export function findNode(root: PayloadNode, name: string | RegExp): PayloadNode | undefined {
  for (const { node } of walk(root)) if (typeof name === 'string' ? node.name === name : name.test(node.name)) return node;
  return undefined;
}

/** The tree as indented text: offset, length, name, value, one line a field. */
export function renderPayload(root: PayloadNode): string {
  const lines: string[] = [];
  const visit = (n: PayloadNode, depth: number) => {
    const at = `[${String(n.offset).padStart(4)}+${String(n.length).padEnd(4)}]`;
    const shown = n.text ?? (n.value === undefined ? '' : String(n.value));
    const mark = n.named ? '' : ' (not named)';
    lines.push(
      `${at} ${'  '.repeat(depth)}${n.name}${shown !== '' && !n.children?.length ? `: ${shown}` : shown !== '' ? ` (${shown})` : ''}${mark}${n.note ? ` — ${n.note}` : ''}`,
    );
    for (const c of n.children ?? []) visit(c, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}
