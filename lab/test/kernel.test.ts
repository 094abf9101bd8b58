import { describe, expect, it } from 'vitest';
import { compareVersions, KERNEL_SOURCES, parseDepends, pickNewestKernel } from '../src/kernel.js';

describe('kernel version resolution', () => {
  const names = [
    'linux-image-7.0.13+deb13-amd64',
    'linux-image-7.2.9+deb13-amd64',
    'linux-image-7.2.12+deb13-amd64',
    'linux-image-7.3.4+deb13-cloud-amd64',
    'linux-image-7.3.4+deb13-rt-amd64',
    'linux-image-7.3.4+deb13-amd64',
    'linux-image-7.3.4+deb13-amd64-dbg',
    'linux-image-7.3.4+deb13-amd64-unsigned',
    'linux-image-6.12.57+deb13-amd64',
    'linux-image-amd64',
  ];

  it('picks the newest stock 7.x amd64 image, not cloud/rt/dbg/unsigned flavours', () => {
    expect(pickNewestKernel(names, KERNEL_SOURCES.current.imagePattern)).toEqual({
      pkg: 'linux-image-7.3.4+deb13-amd64',
      version: '7.3.4',
    });
  });

  it('orders versions numerically, not as strings', () => {
    expect(compareVersions('7.2.12', '7.2.9')).toBeGreaterThan(0);
    expect(compareVersions('7.10.1', '7.9.20')).toBeGreaterThan(0);
    expect(compareVersions('6.1.0-40', '6.1.0-9')).toBeGreaterThan(0);
    expect(compareVersions('7.3.4', '7.3.4')).toBe(0);
    expect(
      pickNewestKernel(
        ['linux-image-7.2.9+deb13-amd64', 'linux-image-7.2.12+deb13-amd64'],
        KERNEL_SOURCES.current.imagePattern,
      )?.version,
    ).toBe('7.2.12');
  });

  it('returns undefined when nothing matches', () => {
    expect(
      pickNewestKernel(
        ['linux-image-amd64', 'linux-image-6.12.57+deb13-amd64'],
        KERNEL_SOURCES.current.imagePattern,
      ),
    ).toBeUndefined();
  });

  it('resolves the bookworm 6.1 kernel for the legacy source', () => {
    const legacy = [
      'linux-image-6.1.0-39-amd64',
      'linux-image-6.1.0-40-amd64',
      'linux-image-6.1.0-40-cloud-amd64',
    ];
    expect(pickNewestKernel(legacy, KERNEL_SOURCES.legacy.imagePattern)?.pkg).toBe(
      'linux-image-6.1.0-40-amd64',
    );
  });

  it('reads package names from a Depends line, alternatives and versions dropped', () => {
    const control = [
      'Package: linux-image-7.3.4+deb13-amd64',
      'Depends: dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.3.4+deb13-amd64 (= 7.3.4-1~bpo13+1), linux-binary-7.3.4+deb13-amd64 (= 7.3.4-1~bpo13+1), linux-modules-7.3.4+deb13-amd64 (= 7.3.4-1~bpo13+1)',
      'Size: 1900',
    ].join('\n');
    expect(parseDepends(control)).toEqual([
      'dracut',
      'initramfs-tools',
      'linux-initramfs-tool',
      'linux-base-7.3.4+deb13-amd64',
      'linux-binary-7.3.4+deb13-amd64',
      'linux-modules-7.3.4+deb13-amd64',
    ]);
    expect(parseDepends('Package: x\n')).toEqual([]);
  });
});
