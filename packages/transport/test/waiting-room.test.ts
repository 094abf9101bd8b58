import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommandPriority, STARVATION_LIMIT, WaitingRoom } from '../src/index.js';

const PRIORITY = fc.constantFrom<CommandPriority>('high', 'normal', 'low');

describe('WaitingRoom', () => {
  it('serves high, then normal, then low, FIFO within a class', () => {
    const room = new WaitingRoom<string>();
    room.push('l1', 'low');
    room.push('n1');
    room.push('h1', 'high');
    room.push('n2', 'normal');
    room.push('h2', 'high');
    expect(room.size).toBe(5);
    expect([room.shift(), room.shift(), room.shift(), room.shift(), room.shift()]).toEqual([
      'h1',
      'h2',
      'n1',
      'n2',
      'l1',
    ]);
    expect(room.shift()).toBeUndefined();
    expect(room.size).toBe(0);
  });

  it('serves a low command within STARVATION_LIMIT + 1 dispatches under an endless stream of high', () => {
    const room = new WaitingRoom<string>();
    room.push('low', 'low');
    const order: string[] = [];
    for (let i = 0; i < 3 * STARVATION_LIMIT; i++) {
      room.push(`h${i}`, 'high');
      room.push(`h${i}b`, 'high'); // demand grows faster than service
      order.push(room.shift() as string);
    }
    expect(order.indexOf('low')).toBe(STARVATION_LIMIT);
  });

  it('puts an item it could not submit back at the head of its class', () => {
    const room = new WaitingRoom<number>();
    room.push(1, 'low');
    room.push(2, 'low');
    const first = room.shift() as number;
    room.unshift(first, 'low');
    expect(room.shift()).toBe(1);
    expect(room.shift()).toBe(2);
  });

  it('removes a waiting item and drains the rest in priority order', () => {
    const room = new WaitingRoom<number>();
    room.push(1, 'low');
    room.push(2, 'high');
    room.push(3);
    expect(room.remove((n) => n === 3)).toBe(true);
    expect(room.remove((n) => n === 3)).toBe(false);
    expect(room.size).toBe(2);
    expect(room.drain()).toEqual([2, 1]);
    expect(room.size).toBe(0);
    expect(room.shift()).toBeUndefined();
  });

  it('loses nothing, keeps FIFO order per class and never starves a waiting class', () => {
    fc.assert(
      fc.property(
        // Mostly high and shifts, so low and normal often wait behind a long run of high.
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: fc.constant({ op: 'push' as const, p: 'high' as const }) },
            { weight: 2, arbitrary: PRIORITY.map((p) => ({ op: 'push' as const, p })) },
            { weight: 5, arbitrary: fc.constant({ op: 'shift' as const }) },
          ),
          { minLength: 100, maxLength: 1000, size: 'max' },
        ),
        (ops) => {
          const room = new WaitingRoom<{ id: number; p: CommandPriority }>();
          const waiting: Record<CommandPriority, number[]> = { high: [], normal: [], low: [] };
          const othersSince: Record<CommandPriority, number> = { high: 0, normal: 0, low: 0 };
          let id = 0;
          for (const o of ops) {
            if (o.op === 'push') {
              room.push({ id, p: o.p }, o.p);
              waiting[o.p].push(id++);
              continue;
            }
            const got = room.shift();
            const total = waiting.high.length + waiting.normal.length + waiting.low.length;
            if (total === 0) {
              expect(got).toBeUndefined();
              continue;
            }
            if (got === undefined) throw new Error('an item waits but shift() returned nothing');
            expect(got.id).toBe(waiting[got.p].shift());
            for (const p of ['high', 'normal', 'low'] as const) {
              if (p === got.p || waiting[p].length === 0) othersSince[p] = 0;
              else othersSince[p]++;
              expect(othersSince[p]).toBeLessThanOrEqual(STARVATION_LIMIT + 1);
            }
            expect(room.size).toBe(total - 1);
          }
        },
      ),
    );
  });
});
