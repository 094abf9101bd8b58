import { describe, expect, it } from 'vitest';
import { manifest } from './lab-device.js';

describe('multi profile', () => {
  it('spreads four LUNs over two targets of one host', () => {
    const hctl = manifest.devices.map((d) => d.hctl).sort();
    expect(hctl).toEqual(['0:0:0:0', '0:0:0:1', '0:0:1:0', '0:0:1:1']);
    expect(new Set(manifest.devices.map((d) => d.block)).size).toBe(4);
  });
});
