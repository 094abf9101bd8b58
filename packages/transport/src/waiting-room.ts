import type { CommandPriority } from './contract.js';

/**
 * A waiting class passed over this many times in a row is served next: under a steady stream of
 * `high`, `normal` and `low` still get at least one dispatch in STARVATION_LIMIT + 2.
 */
export const STARVATION_LIMIT = 8;

const CLASS = { high: 0, normal: 1, low: 2 } as const;

/** A FIFO with O(1) shift: a head index over an array, compacted now and then. */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  unshift(item: T): void {
    if (this.#head > 0) this.#items[--this.#head] = item;
    else this.#items.unshift(item);
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined as T;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes the first item matching; O(n), for the rare early settle of a queued command. */
  remove(match: (item: T) => boolean): boolean {
    for (let i = this.#head; i < this.#items.length; i++) {
      if (match(this.#items[i] as T)) {
        this.#items.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  drain(): T[] {
    const out = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    return out;
  }
}

/**
 * Where a transport keeps commands beyond its queue depth: one FIFO per {@link CommandPriority}.
 * `high` goes first, then `normal`, then `low` — except that a class passed over
 * {@link STARVATION_LIMIT} times while it waits is served next, so nothing starves.
 */
export class WaitingRoom<T> {
  readonly #fifos: [Fifo<T>, Fifo<T>, Fifo<T>] = [new Fifo(), new Fifo(), new Fifo()];
  /** Dispatches of another class since this class was last served while it waited. */
  readonly #passedOver: [number, number, number] = [0, 0, 0];
  #size = 0;

  /** Items waiting, every class together. */
  get size(): number {
    return this.#size;
  }

  /** Queues `item` at the tail of its class. */
  push(item: T, priority: CommandPriority = 'normal'): void {
    this.#fifos[CLASS[priority]].push(item);
    this.#size++;
  }

  /** Puts `item` back at the head of its class: it was taken but could not be submitted. */
  unshift(item: T, priority: CommandPriority = 'normal'): void {
    this.#fifos[CLASS[priority]].unshift(item);
    this.#size++;
  }

  /** The next item to dispatch, or undefined when none waits. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const f = this.#fifos;
    const passed = this.#passedOver;
    let c: 0 | 1 | 2;
    // A starved lower class first (the lowest first: it has waited at least as long).
    if (f[2].length > 0 && passed[2] >= STARVATION_LIMIT) c = 2;
    else if (f[1].length > 0 && passed[1] >= STARVATION_LIMIT) c = 1;
    else c = f[0].length > 0 ? 0 : f[1].length > 0 ? 1 : 2;
    passed[c] = 0;
    // Counted only while waiting: a class that arrives later starts from zero.
    if (c !== 1) passed[1] = f[1].length > 0 ? passed[1] + 1 : 0;
    if (c !== 2) passed[2] = f[2].length > 0 ? passed[2] + 1 : 0;
    this.#size--;
    return f[c].shift();
  }

  /** Removes the first waiting item that matches (a command settled before it was sent). */
  remove(match: (item: T) => boolean): boolean {
    for (const fifo of this.#fifos) {
      if (fifo.remove(match)) {
        this.#size--;
        return true;
      }
    }
    return false;
  }

  /** Empties the room and returns what waited, in priority order. */
  drain(): T[] {
    const out = this.#fifos.flatMap((fifo) => fifo.drain());
    this.#size = 0;
    this.#passedOver.fill(0);
    return out;
  }
}
