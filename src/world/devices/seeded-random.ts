import { createHash } from 'node:crypto';

/**
 * A deterministic PRNG (SplitMix64) seeded from a string, so a fleet, its faults and its keys come
 * out the same for the same seed on any machine.
 */
export class SeededRandom {
  #state: bigint;
  constructor(seed: string) {
    this.#state = createHash('sha256').update(seed).digest().readBigUInt64BE(0);
  }
  /** Next 64-bit value. */
  next64(): bigint {
    this.#state = BigInt.asUintN(64, this.#state + 0x9e3779b97f4a7c15n);
    let z = this.#state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
