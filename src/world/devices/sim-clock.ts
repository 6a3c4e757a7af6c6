/**
 * The simulation's time: starts where it is told and moves only when advanced, so join windows,
 * lock-outs and WAN-fix clocks can be driven through hours in milliseconds. `now` is bound, so it
 * can be handed to services as their clock.
 */
export class SimClock {
  #t: number;
  constructor(start: Date = new Date()) {
    this.#t = start.getTime();
  }
  readonly now = (): Date => new Date(this.#t);
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the simulation clock only moves forward');
    this.#t += ms;
    return this.now();
  }
  advanceMinutes(minutes: number): Date {
    return this.advance(minutes * 60_000);
  }
}
